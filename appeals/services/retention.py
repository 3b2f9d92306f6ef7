"""Forgetting personal data on schedule, once the appeal and out-of-court windows close.

A case closed longer ago than its type's retention period (``RETENTION_DAYS_APPEALS``,
``RETENTION_DAYS_REPORTS``; default: the six-month appeal window plus the 180-day
out-of-court window) loses its personal
data: free text, contact details, content addresses, evidence and letter files.
Statistics come from ``StatFact`` rows, which hold none, so they do not change.
Cases under legal hold are skipped. Each case anonymised writes an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from appeals.models import (
    Appeal,
    AppealMessage,
    AppealStatus,
    AuditAction,
    ContentLocation,
    EvidenceFile,
    HarmReport,
    Letter,
    Takedown,
)
from appeals.services.audit import audit_record

REMOVED = "[removed after the retention period]"
BATCH = 200


@dataclass
class RetentionResult:
    appeals: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)


def _due_appeals(cutoff: datetime) -> list[Appeal]:
    return list(
        Appeal.objects.filter(anonymised_at__isnull=True, legal_hold=False)
        .filter(
            Q(status=AppealStatus.DECIDED, decided_at__lt=cutoff)
            | Q(status=AppealStatus.WITHDRAWN, closed_at__lt=cutoff)
        )
        .select_related("takedown")
        .order_by("id")[:BATCH]
    )


def _due_reports(cutoff: datetime) -> list[HarmReport]:
    return list(
        HarmReport.objects.filter(anonymised_at__isnull=True, legal_hold=False, filed_at__lt=cutoff)
        .exclude(referrals__status__in=["queued", "sent", "acknowledged", "escalated"])
        .order_by("filed_at")[:BATCH]
    )


def _delete_files(files: list[Any]) -> None:
    """Files go once the transaction that forgets them has committed."""
    doomed = [(f.storage, f.name) for f in files if f.name]

    def delete() -> None:
        for storage, name in doomed:
            storage.delete(name)

    if doomed:
        transaction.on_commit(delete)


def _anonymise_appeal(appeal: Appeal, now: datetime) -> None:
    evidence = list(EvidenceFile.objects.filter(appeal=appeal))
    letters = list(Letter.objects.filter(appeal=appeal).exclude(file=""))
    _delete_files([e.file for e in evidence] + [letter.file for letter in letters])
    EvidenceFile.objects.filter(appeal=appeal).delete()
    # Letters keep their code and hash, so the verification page still answers.
    Letter.objects.filter(appeal=appeal).update(file="")
    AppealMessage.objects.filter(appeal=appeal).update(body=REMOVED)
    Appeal.objects.filter(pk=appeal.pk).update(grounds=REMOVED, late_reason="", anonymised_at=now)
    if appeal.takedown.source == Takedown.Source.DESCRIBED:
        Takedown.objects.filter(pk=appeal.takedown_id).update(content_url="", statement_text="")
    audit_record(action=AuditAction.RETENTION_ANONYMISED, target=appeal, occurred_at=now)


def _anonymise_report(report: HarmReport, now: datetime) -> None:
    evidence = list(EvidenceFile.objects.filter(harm_report=report))
    _delete_files([e.file for e in evidence])
    EvidenceFile.objects.filter(harm_report=report).delete()
    ContentLocation.objects.filter(report=report).update(url="https://removed.invalid/")
    HarmReport.objects.filter(pk=report.pk).update(
        reporter_name="",
        reporter_email="",
        victim_reference=REMOVED,
        victim_contact="",
        explanation=REMOVED,
        consent_scope=REMOVED,
        # Clearing the PIN's hash: no password is written here.
        pin_hash="",  # nosec B106
        link_token_hash="",
        anonymised_at=now,
    )
    audit_record(action=AuditAction.RETENTION_ANONYMISED, target=report, occurred_at=now)


def retention_run(*, dry_run: bool, now: datetime | None = None) -> RetentionResult:
    """Anonymise what is past retention (or, with ``dry_run``, only list it)."""
    now = now or timezone.now()
    result = RetentionResult()
    for appeal in _due_appeals(now - timedelta(days=settings.RETENTION_DAYS_APPEALS)):
        result.appeals.append(appeal.reference)
        if not dry_run:
            with transaction.atomic():
                _anonymise_appeal(appeal, now)
    for report in _due_reports(now - timedelta(days=settings.RETENTION_DAYS_REPORTS)):
        result.reports.append(report.reference)
        if not dry_run:
            with transaction.atomic():
                _anonymise_report(report, now)
    return result
