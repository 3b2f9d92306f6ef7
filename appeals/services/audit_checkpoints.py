"""Signed checkpoints of the audit chain's head, kept outside the database.

The hash chain proves that no event was changed *unless every later hash was
recomputed*, and it cannot tell a trail whose last events (or all events) were
deleted from a shorter one. A checkpoint closes both gaps: the last event's id
and hash, and how many events end there, signed with the letter-signing key
(which never lives in the database) and appended as one JSON line to
``AUDIT_CHECKPOINT_FILE`` under the private files root, logged, and published on
the public verification page and in each transparency report.

``audit_verify`` walks the trail against every checkpoint line: a line whose
signature fails, a checkpointed event that is missing or has another hash, a
different number of events before it, or a trail that now ends before it, each
fail the check. The signed text is one plain line, so anyone can check a
published checkpoint with ``openssl dgst -sha256 -verify``.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from appeals.models import AuditEvent
from appeals.services.audit import Anchor, ChainHead, ChainReport, audit_head, audit_verify_chain

logger = logging.getLogger("appeals.audit.checkpoints")

VERSION = 1
RSA_SHA256 = "rsa-pkcs1v15-sha256"
ECDSA_SHA256 = "ecdsa-sha256"


def signed_text(*, event_id: int, count: int, head: str, at: datetime) -> str:
    """The exact text a checkpoint's signature covers (UTF-8, no final line break)."""
    when = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"audit-checkpoint v{VERSION} event={event_id} count={count} head={head} at={when}"


@dataclass(frozen=True)
class Checkpoint:
    event_id: int
    count: int
    head: str
    at: datetime
    key: str  # "sha256:" and the SHA-256 of the signer's public key (DER SubjectPublicKeyInfo)
    algorithm: str
    signature: str  # base64

    @property
    def text(self) -> str:
        return signed_text(event_id=self.event_id, count=self.count, head=self.head, at=self.at)

    @property
    def at_text(self) -> str:
        return self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def as_line(self) -> dict[str, Any]:
        """The JSON object stored as one line of the checkpoint file."""
        return {
            "v": VERSION,
            "event": self.event_id,
            "count": self.count,
            "head": self.head,
            "at": self.at_text,
            "key": self.key,
            "alg": self.algorithm,
            "sig": self.signature,
        }

    def as_published(self) -> dict[str, Any]:
        """The line plus the signed text spelled out, for pages and reports."""
        return {**self.as_line(), "signed_text": self.text}

    @classmethod
    def from_line(cls, data: Any) -> Checkpoint:
        """Parse a stored or published checkpoint; ValueError when it is not one."""
        if not isinstance(data, dict) or data.get("v") != VERSION:
            raise ValueError("not a version 1 checkpoint")
        event_id, count, head = data.get("event"), data.get("count"), data.get("head")
        if not (isinstance(event_id, int) and isinstance(count, int)) or event_id < 0 or count < 0:
            raise ValueError("its event id or count is not a number")
        if not isinstance(head, str) or len(head) != 64:
            raise ValueError("its head is not a SHA-256 hash")
        fields = [data.get(name) for name in ("at", "key", "alg", "sig")]
        at, key, algorithm, signature = (
            value if isinstance(value, str) else "" for value in fields
        )
        if not (at and key and algorithm and signature):
            raise ValueError("a field is missing")
        try:
            when = datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError as exc:
            raise ValueError("its time is not a UTC time") from exc
        return cls(event_id, count, head, when, key, algorithm, signature)


# --- Keys ---------------------------------------------------------------------


def _fingerprint(public_key: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "sha256:" + hashlib.sha256(der).hexdigest()


@lru_cache(maxsize=2)
def _private_key(path: str, passphrase: str) -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(
        Path(path).read_bytes(), password=passphrase.encode() if passphrase else None
    )


@lru_cache(maxsize=4)
def _public_keys(paths: tuple[str, ...]) -> dict[str, Any]:
    from cryptography import x509

    keys = {}
    for path in paths:
        key = x509.load_pem_x509_certificate(Path(path).read_bytes()).public_key()
        keys[_fingerprint(key)] = key
    return keys


def _certificate_paths() -> tuple[str, ...]:
    from appeals.pdf import signing_files

    current = str(signing_files().certificate)
    return (current, *settings.AUDIT_CHECKPOINT_PAST_CERT_FILES)


def trusted_keys() -> dict[str, Any]:
    """Public keys a checkpoint may be signed with, by fingerprint: the current
    signing certificate's and those of AUDIT_CHECKPOINT_PAST_CERT_FILES."""
    return _public_keys(_certificate_paths())


def signing_certificate_pem() -> bytes:
    from appeals.pdf import signing_files

    return signing_files().certificate.read_bytes()


def _sign(text: str) -> tuple[str, str, str]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    from appeals.pdf import signing_files

    key = _private_key(str(signing_files().key), settings.LETTER_SIGNING_KEY_PASSPHRASE)
    data = text.encode("utf-8")
    if isinstance(key, rsa.RSAPrivateKey):
        algorithm, raw = RSA_SHA256, key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        algorithm, raw = ECDSA_SHA256, key.sign(data, ec.ECDSA(hashes.SHA256()))
    else:
        raise ImproperlyConfigured("Audit checkpoints need an RSA or EC signing key.")
    return _fingerprint(key.public_key()), algorithm, base64.b64encode(raw).decode("ascii")


def signature_problem(checkpoint: Checkpoint) -> str:
    """Why the checkpoint's signature does not hold, or "" when it does."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    key = trusted_keys().get(checkpoint.key)
    if key is None:
        return (
            f"it was signed with a key this portal does not know ({checkpoint.key}); "
            "if the signing key was replaced, name the old certificate in "
            "AUDIT_CHECKPOINT_PAST_CERT_FILES"
        )
    try:
        raw = base64.b64decode(checkpoint.signature, validate=True)
    except (binascii.Error, ValueError):
        return "its signature is not base64"
    data = checkpoint.text.encode("utf-8")
    try:
        if checkpoint.algorithm == RSA_SHA256 and isinstance(key, rsa.RSAPublicKey):
            key.verify(raw, data, padding.PKCS1v15(), hashes.SHA256())
        elif checkpoint.algorithm == ECDSA_SHA256 and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(raw, data, ec.ECDSA(hashes.SHA256()))
        else:
            return f"its signature method {checkpoint.algorithm!r} does not fit the key"
    except InvalidSignature:
        return (
            "its signature does not verify: the line was changed after it was signed, "
            "or it was not signed by this portal"
        )
    return ""


# --- The checkpoint file --------------------------------------------------------


def checkpoint_file() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


@dataclass(frozen=True)
class CheckpointLine:
    """One line of a checkpoint file, read and checked."""

    source: Path
    number: int
    checkpoint: Checkpoint | None
    problem: str  # "" when the line is a checkpoint with a good signature

    @property
    def name(self) -> str:
        when = f" of {self.checkpoint.at_text}" if self.checkpoint else ""
        return f"checkpoint{when} (line {self.number} of {self.source})"


def _checked(source: Path, number: int, data: Any) -> CheckpointLine:
    if isinstance(data, dict) and "audit_checkpoint" in data:  # a transparency report
        data = data["audit_checkpoint"]
    try:
        checkpoint = Checkpoint.from_line(data)
    except ValueError as exc:
        return CheckpointLine(source, number, None, f"it is not a checkpoint ({exc})")
    return CheckpointLine(source, number, checkpoint, signature_problem(checkpoint))


def _checked_line(source: Path, number: int, text: str) -> CheckpointLine:
    try:
        data = json.loads(text)
    except ValueError:  # json.JSONDecodeError is a ValueError
        return CheckpointLine(source, number, None, "it is not a checkpoint (not JSON)")
    return _checked(source, number, data)


def checkpoints_read(path: Path) -> list[CheckpointLine]:
    """Every line of a checkpoint file, each with its problem if any, read line by
    line. A file that is one indented JSON document (a downloaded transparency
    report, a saved checkpoint) gives its one checkpoint."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", errors="replace") as handle:
        if handle.readline().strip() == "{":
            handle.seek(0)
            try:
                return [_checked(path, 1, json.loads(handle.read()))]
            except ValueError:
                pass
        handle.seek(0)
        return [
            _checked_line(path, number, line)
            for number, line in enumerate(handle, start=1)
            if line.strip()
        ]


def _last_line(path: Path, block: int = 4096) -> str | None:
    """The last non-empty line, reading only the end of the file (a checkpoint
    line is about 700 bytes)."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return None
    with handle:
        position = handle.seek(0, os.SEEK_END)
        tail = b""
        while position > 0 and b"\n" not in tail.rstrip(b"\r\n"):
            step = min(block, position)
            position -= step
            handle.seek(position)
            tail = handle.read(step) + tail
    lines = [line for line in tail.split(b"\n") if line.strip()]
    return lines[-1].decode("utf-8", errors="replace") if lines else None


def checkpoint_latest() -> Checkpoint | None:
    """The last checkpoint written, if its signature holds (for publishing)."""
    path = checkpoint_file()
    try:
        last = _last_line(path)
    except OSError:
        logger.exception("The audit checkpoint file %s cannot be read", path)
        return None
    if last is None:
        return None
    line = _checked_line(path, 0, last)
    if line.problem or line.checkpoint is None:
        logger.error("The last line of %s is not a sound checkpoint: %s", path, line.problem)
        return None
    return line.checkpoint


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        # Writers on other processes (the schedule, verify_audit) take turns.
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line.encode("utf-8") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)


class CheckpointRefused(Exception):
    """The trail no longer holds the last signed head, so the new head is not signed."""


def checkpoint_write(*, by: str) -> Checkpoint:
    """Sign the trail's current head, append it to the checkpoint file and log it.

    Cheap: it reads the last checkpoint line, the event that checkpoint names, the
    last event, and counts only the events since. If the event the last checkpoint
    signed is gone or has another hash (a tail deleted, or the chain recomputed after
    an edit), it signs nothing and raises CheckpointRefused: the published head
    must never move on to a rewritten trail.
    """
    path = checkpoint_file()
    last = _last_line(path)
    previous: Checkpoint | None = None
    if last is not None:
        line = _checked_line(path, 0, last)
        if line.problem or line.checkpoint is None:
            # verify_audit reports the line; counting afresh keeps checkpoints going.
            logger.error("The last line of %s is not a sound checkpoint: %s", path, line.problem)
        else:
            previous = line.checkpoint
    if previous is not None and previous.event_id > 0:
        stored = (
            AuditEvent.objects.filter(id=previous.event_id).values_list("hash", flat=True).first()
        )
        if stored != previous.head:
            what = "is no longer in the trail" if stored is None else "has another hash now"
            message = (
                f"Audit checkpoint refused: event #{previous.event_id}, signed at "
                f"{previous.at_text}, {what}. Run manage.py verify_audit."
            )
            logger.error(message)
            raise CheckpointRefused(message)
    head = audit_head(
        counted_after=ChainHead(previous.event_id, previous.count, previous.head)
        if previous is not None
        else None
    )
    at = timezone.now().replace(microsecond=0)
    text = signed_text(event_id=head.event_id, count=head.count, head=head.hash, at=at)
    key, algorithm, signature = _sign(text)
    checkpoint = Checkpoint(head.event_id, head.count, head.hash, at, key, algorithm, signature)
    encoded = json.dumps(checkpoint.as_line(), separators=(",", ":"))
    _append(path, encoded)
    logger.info("Audit checkpoint (%s): %s", by, encoded)
    return checkpoint


# --- Verification -----------------------------------------------------------------


@dataclass(frozen=True)
class AuditVerification:
    chain: ChainReport
    lines: list[CheckpointLine]
    file_missing: bool

    @property
    def bad_lines(self) -> list[CheckpointLine]:
        return [line for line in self.lines if line.problem]

    @property
    def intact(self) -> bool:
        return self.chain.intact and not self.bad_lines


def audit_verify(*, more_files: Sequence[Path] = ()) -> AuditVerification:
    """Recompute the chain and hold it against every checkpoint: those in the
    checkpoint file and in ``more_files`` (copies kept elsewhere, or downloaded
    transparency reports)."""
    path = checkpoint_file()
    lines = checkpoints_read(path)
    for extra in more_files:
        lines.extend(checkpoints_read(extra))
    anchors = [
        Anchor(line.checkpoint.event_id, line.checkpoint.count, line.checkpoint.head, line.name)
        for line in lines
        if line.checkpoint is not None and not line.problem
    ]
    return AuditVerification(audit_verify_chain(anchors=anchors), lines, not path.exists())
