"""Periodic transparency reports and audit-chain checks, built by workers."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from appeals.models import AuditCheck, Jurisdiction, TransparencyReport, User
from appeals.services.audit import audit_verify_chain
from appeals.services.stats import Filters, Period, statistics_for


def transparency_report_request(*, start: date, end: date, by: User) -> TransparencyReport:
    with transaction.atomic():
        report = TransparencyReport.objects.create(
            period_start=start, period_end=end, requested_by=by
        )
        transaction.on_commit(
            lambda: async_task("appeals.tasks.build_transparency_report", report.pk)
        )
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
    TransparencyReport.objects.filter(pk=report.pk).update(
        status=TransparencyReport.Status.RUNNING, progress=0
    )
    try:
        whole = Period(report.period_start, report.period_end, "period")
        months = _months(report.period_start, report.period_end)
        codes = list(Jurisdiction.objects.order_by("code").values_list("code", flat=True))
        steps = len(months) + len(codes) + 1
        result = {"overall": statistics_for(whole), "by_month": {}, "by_jurisdiction": {}}
        done = 1
        for month in months:
            result["by_month"][month.label] = statistics_for(month)
            done += 1
            TransparencyReport.objects.filter(pk=report.pk).update(progress=int(100 * done / steps))
        for code in codes:
            result["by_jurisdiction"][code] = statistics_for(whole, Filters(jurisdiction=code))
            done += 1
            TransparencyReport.objects.filter(pk=report.pk).update(progress=int(100 * done / steps))
    except Exception as exc:
        TransparencyReport.objects.filter(pk=report.pk).update(
            status=TransparencyReport.Status.FAILED, error=repr(exc)[:2000]
        )
        raise
    TransparencyReport.objects.filter(pk=report.pk).update(
        status=TransparencyReport.Status.DONE,
        progress=100,
        result=result,
        finished_at=timezone.now(),
    )


def audit_check_request(*, by: User) -> AuditCheck:
    with transaction.atomic():
        check = AuditCheck.objects.create(requested_by=by)
        transaction.on_commit(lambda: async_task("appeals.tasks.run_audit_check", check.pk))
    return check


def audit_check_run(*, check_id: int) -> AuditCheck:
    report = audit_verify_chain()
    AuditCheck.objects.filter(pk=check_id).update(
        finished_at=timezone.now(),
        checked=report.checked,
        intact=report.intact,
        broken_event=report.first_break.event_id if report.first_break else None,
        reason=report.first_break.reason if report.first_break else "",
    )
    return AuditCheck.objects.get(pk=check_id)
