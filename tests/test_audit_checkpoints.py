"""Signed checkpoints of the audit chain's head, kept outside the database: a deleted
tail, a wiped trail and a chain recomputed after an edit are each detected."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string

from appeals import pdf
from appeals.models import AuditAction, AuditCheck, AuditEvent, TransparencyReport, User
from appeals.models.audit import GENESIS_HASH
from appeals.schedules import SCHEDULES
from appeals.services.audit import _hash_of, audit_record, audit_verify_chain
from appeals.services.audit_checkpoints import (
    CheckpointRefused,
    audit_verify,
    checkpoint_latest,
    checkpoint_write,
    checkpoints_read,
)
from appeals.services.transparency import audit_check_run, transparency_report_build
from tests.conftest import require_tool
from tests.test_audit import trigger_disabled

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[AuditEvent]:
    return [audit_record(action=AuditAction.DEMO_SEEDED, details={"n": i}) for i in range(n)]


def _verify_fails(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit", *args)
    assert exit_info.value.code == 1
    return capsys.readouterr().err


def _checkpoint_file() -> Path:
    return Path(django_settings.AUDIT_CHECKPOINT_FILE)


def _delete_events(where: str, params: list[Any]) -> None:
    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM appeals_auditevent WHERE {where}", params)


def test_a_healthy_trail_passes_and_each_run_signs_a_new_checkpoint(
    capsys: pytest.CaptureFixture[str],
) -> None:
    events = _events(3)
    call_command("verify_audit")
    first = capsys.readouterr().out
    assert "3 events checked" in first and "no checkpoint file yet" in first
    _events(2)
    call_command("verify_audit")
    second = capsys.readouterr().out
    assert "5 events checked, against 1 signed checkpoint." in second
    assert "no checkpoint file yet" not in second
    lines = checkpoints_read(_checkpoint_file())
    assert [
        (line.checkpoint.event_id, line.checkpoint.count) for line in lines if line.checkpoint
    ] == [
        (events[-1].id, 3),
        (events[-1].id + 2, 5),
    ]
    assert not any(line.problem for line in lines)


def test_deleting_the_tail_is_detected(capsys: pytest.CaptureFixture[str]) -> None:
    events = _events(5)
    checkpoint_write(by="test")
    _delete_events("id > %s", [events[2].id])
    assert audit_verify_chain().intact  # what the chain alone cannot see
    err = _verify_fails(capsys)
    assert f"Audit trail broken at event #{events[-1].id}" in err
    assert f"the trail ends at event #{events[2].id} (3 events)" in err
    assert "signed 5 events up to this one" in err and "after the end were deleted" in err


def test_deleting_every_event_is_detected(capsys: pytest.CaptureFixture[str]) -> None:
    events = _events(4)
    checkpoint_write(by="test")
    _delete_events("id > %s", [0])
    assert audit_verify_chain().intact
    err = _verify_fails(capsys)
    assert f"event #{events[-1].id}" in err
    assert "the trail is empty" in err and "every event was deleted" in err
    assert not _checkpoint_file().read_text().count("\n") > 1, "nothing signed after the check"


def _recompute_from(first_id: int, *, change: dict[str, Any] | None = None) -> None:
    """What an attacker with the database does after an edit or a deletion: rehash
    every event from ``first_id`` on with the project's own function."""
    with trigger_disabled(), connection.cursor() as cursor:
        before = AuditEvent.objects.filter(id__lt=first_id).order_by("-id").first()
        previous = before.hash if before else GENESIS_HASH
        for index, event in enumerate(AuditEvent.objects.filter(id__gte=first_id).order_by("id")):
            if index == 0 and change:
                event.details = change
            event.prev_hash = previous
            event.hash = _hash_of(event)
            previous = event.hash
            cursor.execute(
                "UPDATE appeals_auditevent SET details = %s, prev_hash = %s, hash = %s "
                "WHERE id = %s",
                [json.dumps(event.details), event.prev_hash, event.hash, event.id],
            )


def test_a_chain_recomputed_after_changing_one_event_is_detected(
    capsys: pytest.CaptureFixture[str],
) -> None:
    decided = audit_record(action=AuditAction.APPEAL_DECIDED, details={"outcome": "reversed"})
    events = [decided, *_events(4)]
    checkpoint_write(by="test")
    # The attacker turns the decision round and recomputes every later hash with the
    # project's own function, so every link is valid again.
    _recompute_from(decided.id, change={"outcome": "upheld"})
    assert audit_verify_chain().intact
    err = _verify_fails(capsys)
    assert f"Audit trail broken at event #{events[-1].id}" in err
    assert "differs from the one the checkpoint of" in err
    assert "changed and the hashes after it recomputed" in err


def test_deleting_a_checkpointed_event_and_rehashing_the_rest_is_detected(
    capsys: pytest.CaptureFixture[str],
) -> None:
    events = _events(3)
    checkpoint_write(by="test")
    more = _events(2)
    _delete_events("id = %s", [events[-1].id])
    _recompute_from(more[0].id)
    assert audit_verify_chain().intact
    err = _verify_fails(capsys)
    assert f"Audit trail broken at event #{events[-1].id}" in err
    assert "signed this event, and it is no longer in the trail" in err


def test_the_auditors_check_holds_the_trail_against_the_checkpoints() -> None:
    auditor = User.objects.create_user("auditor-c@example.org", None)
    events = _events(3)
    checkpoint_write(by="test")
    assert audit_check_run(check_id=AuditCheck.objects.create(requested_by=auditor).pk).intact
    # The tail: the signed event and the check's own event after it.
    _delete_events("id >= %s", [events[-1].id])
    check = audit_check_run(check_id=AuditCheck.objects.create(requested_by=auditor).pk)
    assert check.intact is False and check.broken_event == events[-1].id
    assert "after the end were deleted" in check.reason


def test_a_changed_checkpoint_line_is_detected(capsys: pytest.CaptureFixture[str]) -> None:
    _events(3)
    checkpoint_write(by="test")
    _events(1)
    checkpoint_write(by="test")
    path = _checkpoint_file()
    lines = path.read_text().splitlines()
    forged = json.loads(lines[0])
    forged["count"] = 2
    path.write_text("\n".join([json.dumps(forged), lines[1]]) + "\n")
    err = _verify_fails(capsys)
    assert f"Bad checkpoint on line 1 of {path}" in err
    assert "signature does not verify" in err
    assert "Audit trail broken" not in err


def test_a_line_that_is_not_a_checkpoint_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    _events(1)
    checkpoint_write(by="test")
    with _checkpoint_file().open("a") as handle:
        handle.write("{not json\n")
    err = _verify_fails(capsys)
    assert "Bad checkpoint on line 2" in err and "it is not a checkpoint" in err


def test_wiping_the_trail_and_the_checkpoint_file_is_caught_by_a_published_copy(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _events(3)
    checkpoint_write(by="test")
    saved = tmp_path / "published.json"
    saved.write_bytes(Client().get(reverse("audit_checkpoint")).content)
    _delete_events("id > %s", [0])
    _checkpoint_file().unlink()
    err = _verify_fails(capsys, "--checkpoints", str(saved))
    assert f"line 1 of {saved}" in err and "every event was deleted" in err


def test_a_downloaded_transparency_report_carries_the_signed_head(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    events = _events(2)
    report = TransparencyReport.objects.create(
        period_start=date(2026, 10, 1), period_end=date(2026, 11, 1)
    )
    transparency_report_build(report_id=report.pk)
    report.refresh_from_db()
    head = report.result["audit_checkpoint"]
    assert head["event"] == events[-1].id and head["count"] == 2
    assert head["head"] == events[-1].hash and head["signed_text"].endswith(head["at"])
    as_json = Client().get(reverse("transparency_report_download", args=[report.pk, "json"]))
    as_csv = Client().get(reverse("transparency_report_download", args=[report.pk, "csv"]))
    assert f"audit_checkpoint.head,{events[-1].hash}" in as_csv.content.decode()
    saved = tmp_path / "report.json"
    saved.write_bytes(as_json.content)
    # The tail: the signed event and the report's own event after it.
    _delete_events("id >= %s", [events[-1].id])
    err = _verify_fails(capsys, "--checkpoints", str(saved))
    assert f"line 1 of {saved}" in err


def test_the_schedule_writes_a_checkpoint_of_the_head(
    django_assert_max_num_queries: Any,
) -> None:
    (periodic,) = [p for p in SCHEDULES if p.func.endswith("write_audit_checkpoint")]
    task = import_string(periodic.func)
    _events(3)
    task()
    last = _events(2)[-1]
    # Cheap: the event the last checkpoint named, the last event, a count of those after it.
    with django_assert_max_num_queries(3):
        result = task()
    assert result == {"event": last.id, "count": 5, "head": last.hash}
    latest = checkpoint_latest()
    assert latest is not None and (latest.event_id, latest.count) == (last.id, 5)
    assert audit_verify().intact


def test_the_schedule_refuses_to_sign_a_trail_that_lost_its_signed_head() -> None:
    events = _events(3)
    checkpoint_write(by="test")
    _delete_events("id = %s", [events[-1].id])
    with pytest.raises(CheckpointRefused, match=f"event #{events[-1].id}"):
        checkpoint_write(by="schedule")
    assert len(_checkpoint_file().read_text().splitlines()) == 1


def test_the_verification_page_publishes_the_latest_signed_head(client: Client) -> None:
    _events(2)
    checkpoint = checkpoint_write(by="test")
    page = client.get(reverse("letter_verify")).content.decode()
    for shown in (checkpoint.head, checkpoint.signature, checkpoint.text, checkpoint.key):
        assert shown in page
    assert reverse("signing_certificate") in page and "openssl dgst -sha256 -verify" in page
    certificate = client.get(reverse("signing_certificate"))
    assert certificate.content == pdf.signing_files().certificate.read_bytes()
    published = json.loads(client.get(reverse("audit_checkpoint")).content)
    assert published["sig"] == checkpoint.signature
    assert published["signed_text"] == checkpoint.text


def test_the_verification_page_works_before_any_checkpoint(client: Client) -> None:
    response = client.get(reverse("letter_verify"))
    assert response.status_code == 200
    assert b"latest signed checkpoint" not in response.content
    assert client.get(reverse("audit_checkpoint")).status_code == 404


def test_an_outsider_checks_a_published_head_with_openssl(tmp_path: Path) -> None:
    """The commands the verification page prints, run as printed."""
    require_tool(shutil.which("openssl") is not None, "openssl is not installed")
    _events(1)
    checkpoint = checkpoint_write(by="test")
    client = Client()
    certificate = client.get(reverse("signing_certificate"))
    filename = certificate["Content-Disposition"].split('filename="')[1].rstrip('"')
    (tmp_path / filename).write_bytes(certificate.content)
    page = client.get(reverse("letter_verify")).content.decode()
    check, fingerprint = (
        html.unescape(block)
        for block in re.findall(r"<pre[^>]*><code>(.*?)</code></pre>", page, re.S)
    )

    def run(script: str) -> str:
        done = subprocess.run(  # the page's own commands
            [shutil.which("bash") or "/bin/bash", "-euo", "pipefail", "-c", script],
            cwd=tmp_path,
            capture_output=True,
            check=True,
            text=True,
        )
        return done.stdout

    assert "Verified OK" in run(check)
    assert checkpoint.key.removeprefix("sha256:") in run(fingerprint)
    # One character changed in the signed text, and openssl refuses it.
    forged = check.replace(f"count={checkpoint.count}", f"count={checkpoint.count + 1}")
    with pytest.raises(subprocess.CalledProcessError):
        run(forged)


def _ec_signing_pair(folder: Path) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Checkpoint test (EC)")])
    certificate = pdf.self_signed_certificate(key, name, days=30)
    folder.mkdir()
    key_file, cert_file = folder / "key.pem", folder / "cert.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


def test_an_ec_key_signs_checkpoints_and_a_replaced_key_needs_its_old_certificate(
    settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.LETTER_SIGNING_KEY_FILE, old_cert = _ec_signing_pair(tmp_path / "old")
    settings.LETTER_SIGNING_CERT_FILE = old_cert
    _events(2)
    assert checkpoint_write(by="test").algorithm == "ecdsa-sha256"
    assert audit_verify().intact
    # The key is replaced: the old checkpoint no longer verifies until its
    # certificate is listed.
    settings.LETTER_SIGNING_KEY_FILE, settings.LETTER_SIGNING_CERT_FILE = _ec_signing_pair(
        tmp_path / "new"
    )
    err = _verify_fails(capsys)
    assert "a key this portal does not know" in err and "AUDIT_CHECKPOINT_PAST_CERT_FILES" in err
    settings.AUDIT_CHECKPOINT_PAST_CERT_FILES = [old_cert]
    call_command("verify_audit")
    assert "against 1 signed checkpoint" in capsys.readouterr().out
