"""The audit trail as an auditor may read it, and the latest check of its chain."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from appeals.models import AuditCheck, AuditEvent, User
from appeals.permissions import audit_event_scope


def audit_events(
    user: User,
    *,
    action: str = "",
    reference: str = "",
    actor: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """The events ``user`` may read that these filters select, newest first. ``since``
    and ``until`` are whole days in the current time zone, both included."""
    rows = (
        AuditEvent.objects.filter(audit_event_scope(user)).select_related("actor").order_by("-id")
    )
    if action:
        rows = rows.filter(action=action)
    if reference:
        ref = reference.upper()
        rows = rows.filter(appeal__reference=ref) | rows.filter(harm_report__reference=ref)
    if actor:
        rows = rows.filter(actor__email__iexact=actor)
    tz = timezone.get_current_timezone()
    # The form bounds the days, so a day more and the time zone stay in the calendar.
    if since:
        rows = rows.filter(occurred_at__gte=datetime.combine(since, time.min, tz))
    if until:
        rows = rows.filter(
            occurred_at__lt=datetime.combine(until + timedelta(days=1), time.min, tz)
        )
    return rows


def audit_check_latest() -> AuditCheck | None:
    """The most recent check of the chain (requested, running or finished)."""
    return AuditCheck.objects.first()
