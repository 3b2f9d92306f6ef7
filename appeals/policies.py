"""Which deadline policy applies to a case: the jurisdiction's own, else the default row."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

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
