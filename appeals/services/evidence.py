"""Accepting evidence files: type by content, a size cap, a SHA-256, private storage."""

from __future__ import annotations

import hashlib
from typing import BinaryIO, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from appeals.evidence_types import DetectedType, EvidenceRefused, detect_evidence_type
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


def _counted(
    *,
    draft: AppealDraft | None = None,
    appeal: Appeal | None = None,
    harm_report: HarmReport | None = None,
) -> QuerySet[EvidenceFile]:
    """The files that count towards one parent's cap: the appeal's (its messages'
    attachments included), else the draft's, else the harm report's."""
    if appeal is not None:
        return EvidenceFile.objects.filter(appeal=appeal)
    if draft is not None:
        return EvidenceFile.objects.filter(draft=draft, appeal__isnull=True)
    if harm_report is not None:
        return EvidenceFile.objects.filter(harm_report=harm_report)
    raise ValueError("evidence belongs to a draft, an appeal or a harm report")


def evidence_count(
    *,
    draft: AppealDraft | None = None,
    appeal: Appeal | None = None,
    harm_report: HarmReport | None = None,
) -> int:
    return _counted(draft=draft, appeal=appeal, harm_report=harm_report).count()


def _lock_parent(
    *, draft: AppealDraft | None, appeal: Appeal | None, harm_report: HarmReport | None
) -> None:
    """Hold the parent's row until commit, so two uploads to it count one after the
    other (PostgreSQL: SELECT ... FOR UPDATE; SQLite takes its write lock at BEGIN)."""
    if appeal is not None:
        list(Appeal.objects.select_for_update().filter(pk=appeal.pk).values_list("pk"))
    elif draft is not None:
        list(AppealDraft.objects.select_for_update().filter(pk=draft.pk).values_list("pk"))
    elif harm_report is not None:
        list(HarmReport.objects.select_for_update().filter(pk=harm_report.pk).values_list("pk"))


def evidence_check(upload: UploadedFile) -> DetectedType:
    """What the file really is, or EvidenceRefused. Reads the file; stores nothing."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    return detect_evidence_type(
        name=upload.name or "file", head=head, size=upload.size or 0, stream=cast(BinaryIO, upload)
    )


def evidence_add(
    *,
    upload: UploadedFile,
    uploaded_by: User | None,
    draft: AppealDraft | None = None,
    appeal: Appeal | None = None,
    message: AppealMessage | None = None,
    harm_report: HarmReport | None = None,
    detected: DetectedType | None = None,
) -> EvidenceFile:
    """Store one evidence file after checking what it really is (``detected``: the
    caller already ran evidence_check on this upload).

    At most MAX_FILES_PER_CASE files per parent (appeal, draft or harm report; a
    message's attachments count towards its appeal), counted under a lock on the
    parent's row. Raises EvidenceRefused with a message that says why and what is
    accepted.
    """
    name = upload.name or "file"
    if appeal is None and message is not None:
        appeal = message.appeal
    counted = _counted(draft=draft, appeal=appeal, harm_report=harm_report)
    if detected is None:
        detected = evidence_check(upload)
    with transaction.atomic():
        _lock_parent(draft=draft, appeal=appeal, harm_report=harm_report)
        if counted.count() >= MAX_FILES_PER_CASE:
            raise EvidenceRefused(
                _("You can send up to %(count)d files. Remove one before adding “%(name)s”.")
                % {"count": MAX_FILES_PER_CASE, "name": name[:80]}
            )
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
