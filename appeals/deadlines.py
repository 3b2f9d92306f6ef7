"""When is this due: which deadline policy applies, in which calendar, and when to remind.

One place for every deadline rule: the policy a case gets (the jurisdiction's own row,
else the default row, else the built-in figures), the jurisdiction's calendar, the due
time and the reminder time of a case, the retraction order's deadline, and the appeal
window with the sentences that refuse a late appeal. ``appeals.sla`` does the
arithmetic; this module decides what to count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from appeals import sla
from appeals.models import CaseType, DeadlinePolicy, DeadlineUnit, Jurisdiction, Priority

# Default review deadlines: acknowledge within 1 business day, decide appeals within
# 14 calendar days, retractions within 72 hours, and so on. The same figures are loaded
# as editable default rows by migration 0003; these apply only if an operator deleted
# those rows.
FALLBACK: dict[str, tuple[int, str]] = {
    CaseType.APPEAL_ACKNOWLEDGEMENT: (1, DeadlineUnit.BUSINESS_DAYS),
    CaseType.APPEAL_DECISION: (14, DeadlineUnit.CALENDAR_DAYS),
    CaseType.RETRACTION: (72, DeadlineUnit.HOURS),
    CaseType.REFERRAL: (7, DeadlineUnit.CALENDAR_DAYS),
    CaseType.REFERRAL_INTIMATE: (48, DeadlineUnit.HOURS),
}


@dataclass(frozen=True)
class Deadline:
    amount: int
    unit: str


def deadline_for(
    *, jurisdiction: Jurisdiction, case_type: CaseType, priority: Priority
) -> Deadline:
    """The policy that applies: the jurisdiction's own row, else the default row."""
    rows = list(
        DeadlinePolicy.objects.filter(case_type=case_type, priority=priority).filter(
            Q(jurisdiction=jurisdiction) | Q(jurisdiction__isnull=True)
        )
    )
    own = next((r for r in rows if r.jurisdiction_id == jurisdiction.pk), None)
    default = next((r for r in rows if r.jurisdiction_id is None), None)
    chosen = own or default
    if chosen is not None:
        return Deadline(chosen.amount, chosen.unit)
    amount, unit = FALLBACK[case_type]
    return Deadline(amount, unit)


def calendar_for(jurisdiction: Jurisdiction) -> sla.Calendar:
    """The jurisdiction's time zone and public holidays, for counting business days."""
    return sla.Calendar(
        time_zone=jurisdiction.time_zone, holiday_country=jurisdiction.holiday_calendar
    )


def due_at_for(
    jurisdiction: Jurisdiction, case_type: CaseType, priority: Priority, start: datetime
) -> datetime:
    """When a case of ``case_type`` and ``priority`` started at ``start`` is due."""
    deadline = deadline_for(jurisdiction=jurisdiction, case_type=case_type, priority=priority)
    return sla.due_at(
        start=start,
        amount=deadline.amount,
        unit=deadline.unit,
        calendar=calendar_for(jurisdiction),
    )


def reminder_time(*, filed_at: datetime, due_at: datetime) -> datetime:
    """When to remind the assignee: a configurable share of the time (e.g. 75%)."""
    share = settings.DEADLINE_REMINDER_SHARE
    return filed_at + (due_at - filed_at) * share


def retraction_due(jurisdiction: Jurisdiction, decided_at: datetime) -> datetime:
    """When the platform must have done what a decision ordered (72 hours by default)."""
    return due_at_for(jurisdiction, CaseType.RETRACTION, Priority.STANDARD, decided_at)


# --- The appeal window -------------------------------------------------------------


def format_day(day: date) -> str:
    # "2 November 2026" (month name translated): unambiguous in every language we use.
    return date_format(day, "j F Y")


@dataclass(frozen=True)
class WindowProblem:
    """Why an appeal cannot be filed as it stands: the form field it concerns and the
    sentence for the person."""

    field: str
    message: str


@dataclass(frozen=True)
class WindowCheck:
    last_day: date
    late: bool
    late_allowed: bool

    def problem(self, *, late_reason: str) -> WindowProblem | None:
        """None if an appeal with this reason for lateness may be filed."""
        if not self.late:
            return None
        if not self.late_allowed:
            return WindowProblem(
                "informed_on",
                _(
                    "The last day to appeal this decision here was %(day)s. You can still "
                    "take it to an out-of-court dispute settlement body or to a court."
                )
                % {"day": format_day(self.last_day)},
            )
        if not late_reason.strip():
            return WindowProblem(
                "late_reason",
                _("Tell us why you are appealing after %(day)s.")
                % {"day": format_day(self.last_day)},
            )
        return None


def appeal_window_check(
    *, jurisdiction: Jurisdiction, informed_on: date, at: datetime | None = None
) -> WindowCheck:
    """DSA Art. 20(1): appeals are open at least six months from when the user was told.

    The last day is counted in the jurisdiction's own calendar and time zone.
    """
    at = at or timezone.now()
    months = jurisdiction.appeal_window_months
    last_day = sla.appeal_window_last_day(informed_on=informed_on, months=months)
    within = sla.is_within_appeal_window(
        informed_on=informed_on, months=months, filed_at=at, time_zone=jurisdiction.time_zone
    )
    return WindowCheck(
        last_day=last_day, late=not within, late_allowed=jurisdiction.accepts_late_appeals
    )
