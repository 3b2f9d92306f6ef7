"""The deadline sweep: nobody's case passes its deadline without someone being told.

Run every few minutes by a django-q2 schedule (appeals/schedules.py). Each reminder
and escalation is recorded once, whatever the number of concurrent sweeps: the
row's ``reminded_at`` / ``breached_at`` / status is set by compare-and-set, and
only the sweep whose update changed the row sends anything. The queries read only
due rows through partial indexes, so a sweep costs what is due, not what exists.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from appeals.errors import Refused
from appeals.models import (
    Appeal,
    AuditAction,
    Escalation,
    HarmReport,
    Referral,
    ReferralStatus,
    Retraction,
    RetractionStatus,
    User,
)
from appeals.models.appeal import RUNNING_STATUSES
from appeals.roles import Role
from appeals.services.audit import AuditEntry, audit_record, audit_record_many
from appeals.services.emails import email_send_template
from appeals.states import (
    REFERRAL,
    IllegalTransition,
    StaleState,
    retraction_transition,
    transition,
)
from appeals.tasks import enqueue

# Cases handled per kind and sweep (every five minutes).
BATCH = 1000


@dataclass(frozen=True)
class SweepResult:
    reminded: int
    breached: int
    retractions_escalated: int
    referrals_escalated: int = 0


def _supervisor_emails() -> list[str]:
    return list(
        User.objects.filter(groups__name=Role.SUPERVISOR, is_active=True).values_list(
            "email", flat=True
        )[:50]
    )


# The columns a sweep claims due cases by (compare-and-set on "not yet done").
_CLAIM_COLUMNS = ("reminded_at", "breached_at")
REMINDER_TEMPLATE = "deadline_reminder"
BREACH_TEMPLATE = "deadline_breached"


def _claim(column: str, appeal_ids: list[int], now: datetime) -> list[Appeal]:
    """Set ``column`` on those of ``appeal_ids`` where it is still empty, in one
    statement, and return those cases (the columns the sweep needs). A concurrent
    sweep waits for the row locks, then finds the column set and claims nothing:
    each case is claimed once."""
    if column not in _CLAIM_COLUMNS:
        raise ValueError(column)
    table = connection.ops.quote_name(Appeal._meta.db_table)
    marks = ", ".join(["%s"] * len(appeal_ids))
    claimed = Appeal.objects.raw(
        f"UPDATE {table} SET {column} = %s "  # noqa: S608  # nosec B608 (names from the model and _CLAIM_COLUMNS, values bound)
        f"WHERE id IN ({marks}) AND {column} IS NULL "
        "RETURNING id, reference, due_at, assigned_to_id",
        [now, *appeal_ids],
    )
    return sorted(claimed, key=lambda appeal: appeal.pk)


def _emails_after_commit(template: str, appeal_ids: list[int]) -> None:
    if appeal_ids:
        enqueue("appeals.tasks.send_deadline_emails", template, appeal_ids)


def _remind_many(appeal_ids: list[int], now: datetime) -> int:
    """Remind the assignees of due cases: one transaction and one audit append for
    the batch; the emails are written by a task after commit."""
    if not appeal_ids:
        return 0
    with transaction.atomic():
        appeals = _claim("reminded_at", appeal_ids, now)
        audit_record_many(
            entries=[
                AuditEntry(
                    action=AuditAction.DEADLINE_REMINDER_SENT,
                    target=appeal,
                    details={"due_at": appeal.due_at.isoformat(), "to": appeal.assigned_to_id},
                )
                for appeal in appeals
            ],
            occurred_at=now,
        )
        _emails_after_commit(REMINDER_TEMPLATE, [a.pk for a in appeals if a.assigned_to_id])
    return len(appeals)


def _breach_many(appeal_ids: list[int], now: datetime) -> int:
    """Escalate cases past their deadline to the supervisors, once each."""
    if not appeal_ids:
        return 0
    with transaction.atomic():
        appeals = _claim("breached_at", appeal_ids, now)
        # The same missed deadline escalated already (unique per case and due time)
        # is left as it is.
        Escalation.objects.bulk_create(
            [
                Escalation(
                    kind=Escalation.Kind.APPEAL_OVERDUE,
                    appeal=appeal,
                    due_at=appeal.due_at,
                    created_at=now,
                )
                for appeal in appeals
            ],
            ignore_conflicts=True,
        )
        audit_record_many(
            entries=[
                AuditEntry(
                    action=AuditAction.DEADLINE_BREACHED,
                    target=appeal,
                    details={
                        "due_at": appeal.due_at.isoformat(),
                        "assigned_to": appeal.assigned_to_id,
                    },
                )
                for appeal in appeals
            ],
            occurred_at=now,
        )
        _emails_after_commit(BREACH_TEMPLATE, [a.pk for a in appeals])
    return len(appeals)


def deadline_emails_send(*, template: str, appeal_ids: list[int]) -> int:
    """Write the reminder or breach emails of a sweep's batch (run by a task after
    the sweep committed). Running it twice queues each email once: each is keyed
    by the case and the moment it was claimed."""
    if template not in (REMINDER_TEMPLATE, BREACH_TEMPLATE):
        raise ValueError(template)
    supervisors = _supervisor_emails() if template == BREACH_TEMPLATE else []
    queued = 0
    with transaction.atomic():
        for appeal in Appeal.objects.filter(pk__in=appeal_ids).select_related(
            "assigned_to", "jurisdiction"
        ):
            if template == REMINDER_TEMPLATE:
                stamp, to = (
                    appeal.reminded_at,
                    [appeal.assigned_to.email] if appeal.assigned_to else [],
                )
            else:
                stamp, to = appeal.breached_at, supervisors
            if stamp is None or not to:
                continue
            email_send_template(
                template=template,
                to=to,
                context={"appeal": appeal},
                language=settings.LANGUAGE_CODE,
                dedup_key=f"{template}:{appeal.pk}:{stamp.isoformat()}",
            )
            queued += 1
    return queued


def _escalate_retraction(retraction_id: uuid.UUID, now: datetime) -> bool:
    with transaction.atomic():
        retraction = Retraction.objects.select_related("appeal", "platform").get(pk=retraction_id)
        try:
            retraction_transition(retraction, RetractionStatus.ESCALATED, escalated_at=now)
        except (IllegalTransition, StaleState):
            return False
        Escalation.objects.get_or_create(
            kind=Escalation.Kind.RETRACTION_OVERDUE,
            appeal=retraction.appeal,
            retraction=retraction,
            due_at=retraction.due_at,
            defaults={"created_at": now},
        )
        audit_record(
            action=AuditAction.RETRACTION_ESCALATED,
            target=retraction.appeal,
            details={"retraction": str(retraction.pk), "platform": retraction.platform_id},
            occurred_at=now,
        )
        email_send_template(
            template="retraction_escalated",
            to=_supervisor_emails(),
            context={"appeal": retraction.appeal, "retraction": retraction},
            language=settings.LANGUAGE_CODE,
        )
    return True


def deadlines_sweep(*, now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    to_remind = list(
        Appeal.objects.filter(
            status__in=RUNNING_STATUSES, reminded_at__isnull=True, remind_at__lte=now
        )
        .order_by("remind_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    to_breach = list(
        Appeal.objects.filter(
            status__in=RUNNING_STATUSES, breached_at__isnull=True, due_at__lte=now
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    overdue = list(
        Retraction.objects.filter(status=RetractionStatus.ORDERED, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    late_referrals = list(
        Referral.objects.filter(
            status__in=[ReferralStatus.QUEUED, ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED],
            due_at__lte=now,
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    return SweepResult(
        reminded=_remind_many(to_remind, now),
        breached=_breach_many(to_breach, now),
        retractions_escalated=sum(_escalate_retraction(pk, now) for pk in overdue),
        referrals_escalated=sum(_escalate_referral(pk, now) for pk in late_referrals),
    )


def _escalate_referral(referral_id: uuid.UUID, now: datetime) -> bool:
    with transaction.atomic():
        referral = Referral.objects.select_related("report", "platform").get(pk=referral_id)
        try:
            transition(REFERRAL, referral, ReferralStatus.ESCALATED, updated_at=now)
        except (IllegalTransition, StaleState):
            return False  # acted on meanwhile, or escalated by a concurrent sweep
        Escalation.objects.get_or_create(
            kind=Escalation.Kind.REFERRAL_OVERDUE,
            referral=referral,
            due_at=referral.due_at,
            defaults={"created_at": now, "report": referral.report},
        )
        audit_record(
            action=AuditAction.REFERRAL_ESCALATED,
            target=referral.report,
            details={"referral": str(referral.pk), "platform": referral.platform_id},
            occurred_at=now,
        )
    return True


class EscalationRefused(Refused):
    """An escalation cannot be marked handled (appeals.errors.Refused)."""


def escalation_handle(
    *, escalation: Escalation, supervisor: User, note: str, now: datetime | None = None
) -> Escalation:
    """A supervisor marks an escalation handled, saying what they did. Once only:
    a second supervisor (or a second click) is told who handled it first."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from appeals.permissions import has_role

    if not has_role(supervisor, Role.SUPERVISOR):
        raise EscalationRefused(_("Only supervisors can mark an escalation as handled."))
    if not note.strip():
        raise EscalationRefused(_("Say what you did about it."))
    now = now or timezone.now()
    with transaction.atomic():
        if not Escalation.objects.filter(pk=escalation.pk, handled_at__isnull=True).update(
            handled_at=now, handled_by=supervisor, note=note.strip()
        ):
            earlier = Escalation.objects.select_related("handled_by").get(pk=escalation.pk)
            raise EscalationRefused(
                _("%(name)s already marked this as handled on %(when)s.")
                % {
                    "name": earlier.handled_by.get_full_name() if earlier.handled_by else "",
                    "when": date_format(timezone.localtime(earlier.handled_at), "j F Y, H:i")
                    if earlier.handled_at
                    else "",
                }
            )
        escalation = Escalation.objects.select_related("sanction__user").get(pk=escalation.pk)
        target: Appeal | HarmReport | User | None = escalation.appeal or escalation.report
        if target is None and escalation.sanction is not None:
            target = escalation.sanction.user
        audit_record(
            action=AuditAction.ESCALATION_HANDLED,
            actor=supervisor,
            target=target,
            details={"escalation": escalation.pk, "kind": escalation.kind},
            occurred_at=now,
        )
    return escalation
