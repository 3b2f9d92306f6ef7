"""Periodic transparency reports and audit-chain checks, built by workers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from appeals.models import AuditAction, AuditCheck, Jurisdiction, TransparencyReport, User
from appeals.selectors.statistics import Filters, Period, statistics_for
from appeals.services.audit import audit_record
from appeals.services.audit_checkpoints import (
    Checkpoint,
    CheckpointRefused,
    audit_verify,
    checkpoint_latest,
    checkpoint_write,
)
from appeals.states import TRANSPARENCY_REPORT, StaleState, transition
from appeals.tasks import enqueue


def _published_checkpoint() -> dict[str, Any] | None:
    """A freshly signed head of the audit trail for a report; the last one signed if
    the trail no longer holds it (checkpoint_write has logged why)."""
    checkpoint: Checkpoint | None
    try:
        checkpoint = checkpoint_write(by="transparency report")
    except CheckpointRefused:
        checkpoint = checkpoint_latest()
    return checkpoint.as_published() if checkpoint is not None else None


def _report_details(report: TransparencyReport, **extra: object) -> dict[str, object]:
    return {
        "model": "appeals.transparencyreport",
        "id": report.pk,
        "period_start": report.period_start,
        "period_end": report.period_end,
        **extra,
    }


def transparency_report_request(*, start: date, end: date, by: User) -> TransparencyReport:
    """An auditor or supervisor asks for a report; a worker builds it (audited both times)."""
    with transaction.atomic():
        report = TransparencyReport.objects.create(
            period_start=start, period_end=end, requested_by=by
        )
        audit_record(
            action=AuditAction.TRANSPARENCY_REPORT_REQUESTED,
            actor=by,
            details=_report_details(report),
        )
        enqueue("appeals.tasks.build_transparency_report", report.pk)
    return report


def _months(start: date, end: date) -> list[Period]:
    months, cursor = [], date(start.year, start.month, 1)
    while cursor < end:
        following = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
        months.append(Period(max(cursor, start), min(following, end), cursor.strftime("%Y-%m")))
        cursor = following
    return months


def transparency_report_build(*, report_id: int) -> None:
    """DSA Art. 15 and 24 figures for the period, overall, per month and per jurisdiction,
    with progress saved as it goes. Running it again rebuilds the same figures."""
    report = TransparencyReport.objects.get(pk=report_id)
    if report.status == TransparencyReport.Status.DONE:
        return
    try:
        transition(TRANSPARENCY_REPORT, report, TransparencyReport.Status.RUNNING, progress=0)
    except StaleState:
        return  # a concurrent build changed it first (and finishes it)
    try:
        whole = Period(report.period_start, report.period_end, "period")
        months = _months(report.period_start, report.period_end)
        codes = list(Jurisdiction.objects.order_by("code").values_list("code", flat=True))
        steps = len(months) + len(codes) + 1
        result: dict[str, Any] = {
            "overall": statistics_for(whole),
            "by_month": {},
            "by_jurisdiction": {},
        }
        done = 1
        for month in months:
            result["by_month"][month.label] = statistics_for(month)
            done += 1
            TransparencyReport.objects.filter(pk=report.pk).update(progress=int(100 * done / steps))
        for code in codes:
            result["by_jurisdiction"][code] = statistics_for(whole, Filters(jurisdiction=code))
            done += 1
            TransparencyReport.objects.filter(pk=report.pk).update(progress=int(100 * done / steps))
        # Anyone holding the report can later show that the trail was not rewritten.
        result["audit_checkpoint"] = _published_checkpoint()
    except Exception as exc:
        with transaction.atomic():
            transition(
                TRANSPARENCY_REPORT,
                report,
                TransparencyReport.Status.FAILED,
                error=repr(exc)[:2000],
            )
            audit_record(
                action=AuditAction.TRANSPARENCY_REPORT_FAILED,
                details=_report_details(report, error=type(exc).__name__),
            )
        raise
    with transaction.atomic():
        transition(
            TRANSPARENCY_REPORT,
            report,
            TransparencyReport.Status.DONE,
            progress=100,
            result=result,
            finished_at=timezone.now(),
        )
        audit_record(
            action=AuditAction.TRANSPARENCY_REPORT_BUILT,
            details=_report_details(report, requested_by=report.requested_by_id),
        )


def audit_check_request(*, by: User) -> AuditCheck:
    """An auditor asks for the chain to be checked; a worker runs it (audited both times)."""
    with transaction.atomic():
        check = AuditCheck.objects.create(requested_by=by)
        audit_record(
            action=AuditAction.AUDIT_CHECK_REQUESTED,
            actor=by,
            details={"model": "appeals.auditcheck", "id": check.pk},
        )
        enqueue("appeals.tasks.run_audit_check", check.pk)
    return check


def audit_check_run(*, check_id: int) -> AuditCheck:
    """The auditors' check: the chain against every signed checkpoint, then a new
    checkpoint when all holds (as ``manage.py verify_audit`` does)."""
    result = audit_verify()
    broken = result.chain.first_break
    reasons = [f"line {line.number} of {line.source}: {line.problem}" for line in result.bad_lines]
    if broken is not None:
        reasons.append(broken.reason)
    if result.intact:
        try:
            checkpoint_write(by="audit check")
        except CheckpointRefused as exc:
            reasons.append(str(exc))
    with transaction.atomic():
        AuditCheck.objects.filter(pk=check_id).update(
            finished_at=timezone.now(),
            checked=result.chain.checked,
            intact=not reasons,
            broken_event=broken.event_id if broken else None,
            reason="; ".join(reasons),
        )
        # After the check: this event is not part of what was checked.
        audit_record(
            action=AuditAction.AUDIT_CHECK_FINISHED,
            details={
                "model": "appeals.auditcheck",
                "id": check_id,
                "checked": result.chain.checked,
                "intact": not reasons,
                "broken_event": broken.event_id if broken else None,
            },
        )
    return AuditCheck.objects.get(pk=check_id)
