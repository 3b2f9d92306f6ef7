"""Accepting evidence files: type by content, a size cap, a SHA-256, private storage."""

from __future__ import annotations

import hashlib
from typing import BinaryIO, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from appeals.evidence_types import EvidenceRefused, detect_evidence_type
from appeals.models import (
    Appeal,
    AppealDraft,
    AppealMessage,
    AuditAction,
    EvidenceFile,
    HarmReport,
    User,
)
from appeals.services.audit import audit_record

MAX_FILES_PER_CASE = 10


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def evidence_count(*, draft: AppealDraft | None = None, appeal: Appeal | None = None) -> int:
    if draft is not None:
        return EvidenceFile.objects.filter(draft=draft, appeal__isnull=True).count()
    return EvidenceFile.objects.filter(appeal=appeal).count()


def evidence_add(
    *,
    upload: UploadedFile,
    uploaded_by: User | None,
    draft: AppealDraft | None = None,
    appeal: Appeal | None = None,
    message: AppealMessage | None = None,
    harm_report: HarmReport | None = None,
) -> EvidenceFile:
    """Store one evidence file after checking what it really is.

    Raises EvidenceRefused with a message that says why and what is accepted.
    """
    name = upload.name or "file"
    if evidence_count(draft=draft, appeal=appeal) >= MAX_FILES_PER_CASE:
        raise EvidenceRefused(
            _("You can send up to %(count)d files. Remove one before adding “%(name)s”.")
            % {"count": MAX_FILES_PER_CASE, "name": name[:80]}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = detect_evidence_type(
        name=name, head=head, size=upload.size or 0, stream=cast(BinaryIO, upload)
    )
    with transaction.atomic():
        evidence = EvidenceFile(
            draft=draft,
            appeal=appeal,
            message=message,
            harm_report=harm_report,
            uploaded_by=uploaded_by,
            original_name=name[:255],
            mime=detected.mime,
            size=upload.size or 0,
            sha256=_sha256(upload),
        )
        evidence.file.save(evidence.id.hex, upload, save=False)
        evidence.save(force_insert=True)
        if appeal is not None:
            audit_record(
                action=AuditAction.APPEAL_EVIDENCE_ADDED,
                actor=uploaded_by,
                target=appeal,
                details={
                    "evidence": str(evidence.id),
                    "sha256": evidence.sha256,
                    "mime": evidence.mime,
                },
            )
    return evidence


def evidence_remove_from_draft(*, evidence: EvidenceFile) -> None:
    """Drafts are not cases yet: a file removed before sending is deleted outright."""
    if evidence.appeal_id is not None:
        raise ValueError("Evidence attached to an appeal is kept as part of the record")
    storage, path = evidence.file.storage, evidence.file.name
    evidence.delete()
    if path:
        transaction.on_commit(lambda: storage.delete(path))


@transaction.atomic
def evidence_record_opening(*, evidence: EvidenceFile, by: User) -> None:
    """Staff opened a file: recorded before it is streamed to them."""
    audit_record(
        action=AuditAction.APPEAL_EVIDENCE_OPENED,
        actor=by,
        target=evidence.appeal,
        details={"evidence": str(evidence.pk), "sha256": evidence.sha256},
    )
