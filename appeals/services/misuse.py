"""Misuse of the process (DSA Art. 23): a warning first, then a suspension for a
stated period, weighing the number in a time frame, the share of all the person's
submissions, the gravity and the intent; each factor is recorded."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.errors import Refused
from appeals.models import (
    Appeal,
    AuditAction,
    Escalation,
    Gravity,
    HarmReport,
    MisuseMark,
    Sanction,
    StatKind,
    User,
)
from appeals.permissions import has_role
from appeals.roles import Role
from appeals.services.audit import audit_record
from appeals.services.stats import stat_record


class MisuseRefused(Refused):
    """A misuse mark or sanction is refused (appeals.errors.Refused)."""


def active_suspension(user: User | None, now: datetime | None = None) -> Sanction | None:
    if user is None or not user.pk:
        return None
    now = now or timezone.now()
    return (
        Sanction.objects.filter(
            user=user,
            kind=Sanction.Kind.SUSPENSION,
            starts_at__lte=now,
            ends_at__gt=now,
            lifted_at__isnull=True,
        )
        .order_by("-ends_at")
        .first()
    )


def refusal_if_suspended(user: User | None) -> str | None:
    """The explanation a suspended person sees instead of a new filing."""
    suspension = active_suspension(user)
    if suspension is None or suspension.ends_at is None:
        return None
    from django.utils.formats import date_format

    return _(
        "You cannot send new appeals or reports until %(day)s, because several of your "
        "earlier ones were clearly without grounds. Reasons: %(reasons)s You can contest "
        "this from your account page."
    ) % {"day": date_format(suspension.ends_at, "j F Y"), "reasons": suspension.reasons}


def misuse_mark(
    *,
    submitter: User,
    by: User,
    gravity: Gravity,
    intent: str = "",
    appeal: Appeal | None = None,
    report: HarmReport | None = None,
    now: datetime | None = None,
) -> MisuseMark:
    """A reviewer marks a submission manifestly unfounded; past the thresholds the
    submitter is warned, then suspended."""
    now = now or timezone.now()
    if not has_role(by, Role.REVIEWER, Role.SUPERVISOR):
        raise MisuseRefused(_("Only reviewers can mark a submission as manifestly unfounded."))
    if (appeal is None) == (report is None):
        raise MisuseRefused(_("Mark exactly one appeal or report."))
    window_start = now - timedelta(days=settings.MISUSE_WINDOW_DAYS)
    with transaction.atomic():
        marks = (
            MisuseMark.objects.filter(submitter=submitter, marked_at__gte=window_start).count() + 1
        )
        submissions = (
            Appeal.objects.filter(appellant=submitter, filed_at__gte=window_start).count()
            + HarmReport.objects.filter(filed_by=submitter, filed_at__gte=window_start).count()
        )
        share = Decimal(marks) / Decimal(max(submissions, marks))
        mark = MisuseMark.objects.create(
            submitter=submitter,
            appeal=appeal,
            report=report,
            count_in_period=marks,
            share_of_submissions=share.quantize(Decimal("0.0001")),
            gravity=gravity,
            intent=intent.strip(),
            marked_by=by,
            marked_at=now,
        )
        audit_record(
            action=AuditAction.MISUSE_MARKED,
            actor=by,
            target=submitter,
            details={
                "count_in_period": marks,
                "share": str(mark.share_of_submissions),
                "gravity": gravity,
                "intent_known": bool(intent.strip()),
            },
            occurred_at=now,
        )
        _apply_thresholds(submitter, marks, share, gravity, now)
    return mark


def _apply_thresholds(
    user: User, marks: int, share: Decimal, gravity: str, now: datetime
) -> Sanction | None:
    window_start = now - timedelta(days=settings.MISUSE_WINDOW_DAYS)
    warned = Sanction.objects.filter(
        user=user, kind=Sanction.Kind.WARNING, starts_at__gte=window_start
    ).exists()
    factors = _(
        "%(n)d manifestly unfounded in %(days)d days, %(share)d%% of all, gravity %(gravity)s."
    ) % {
        "n": marks,
        "days": settings.MISUSE_WINDOW_DAYS,
        "share": int(share * 100),
        "gravity": gravity,
    }
    kind = None
    if marks >= settings.MISUSE_SUSPEND_AT and warned and active_suspension(user, now) is None:
        kind = Sanction.Kind.SUSPENSION
    elif marks >= settings.MISUSE_WARN_AT and not warned:
        kind = Sanction.Kind.WARNING
    if kind is None:
        return None
    sanction = Sanction.objects.create(
        user=user,
        kind=kind,
        reasons=factors,
        starts_at=now,
        ends_at=now + timedelta(days=settings.MISUSE_SUSPENSION_DAYS)
        if kind == Sanction.Kind.SUSPENSION
        else None,
    )
    stat_record(kind=StatKind.SANCTION, at=now, time_zone=settings.TIME_ZONE, outcome=kind)
    audit_record(
        action=AuditAction.SANCTION_ISSUED,
        target=user,
        details={"kind": kind, "sanction": sanction.pk},
        occurred_at=now,
    )
    return sanction


@transaction.atomic
def sanction_contest(*, sanction: Sanction, user: User, text: str) -> Sanction:
    if sanction.user_id != user.pk:
        raise MisuseRefused(_("You can only contest your own warning or suspension."))
    if not text.strip():
        raise MisuseRefused(_("Tell us why you think this is wrong."))
    now = timezone.now()
    Sanction.objects.filter(pk=sanction.pk).update(contested_at=now, contest_text=text.strip())
    Escalation.objects.create(
        kind=Escalation.Kind.SANCTION_CONTESTED, sanction=sanction, due_at=now, created_at=now
    )
    audit_record(action=AuditAction.SANCTION_CONTESTED, actor=user, target=user, occurred_at=now)
    sanction.refresh_from_db()
    return sanction
