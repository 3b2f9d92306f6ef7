"""Reads for staff: the review queue, a case as reviewers see it, workload.

Every function is scoped by ``appeals.permissions``; the queue pages by keyset
(due time, priority, id) and never counts the table.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from appeals.models import (
    Appeal,
    AuditEvent,
    DecisionProposal,
    EvidenceFile,
    Letter,
    ReviewerProfile,
    User,
)
from appeals.models.appeal import OPEN_STATUSES
from appeals.paging import ascii_number
from appeals.permissions import (
    can_see_case_as_staff,
    conflicts_of_interest,
    has_role,
    staff_appeal_scope,
    took_decision_on,
)
from appeals.roles import Role

QUEUE_PAGE_SIZE = 25
PRIORITY_RANK_MAX = 32767  # a PositiveSmallIntegerField
# Seconds since 1970 up to 99999999999 (the year 5138, inside datetime's range).
_CURSOR = re.compile(
    r"(?P<seconds>[0-9]{1,11})\.(?P<micros>[0-9]{6})_(?P<rank>[0-9]{1,5})_(?P<id>[0-9]{1,19})"
)
DUE_SOON = timedelta(hours=48)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class QueueFilters:
    jurisdiction: int | None = None
    platform: int | None = None
    category: str = ""
    priority: str = ""
    status: str = ""
    assigned: str = ""  # "", "me", "unassigned"


@dataclass(frozen=True)
class Cursor:
    due_at: datetime
    rank: int
    id: int

    def encode(self) -> str:
        # Exact to the microsecond: a float timestamp has too few digits for that.
        elapsed = self.due_at - _EPOCH
        seconds = elapsed.days * 86400 + elapsed.seconds
        return f"{seconds}.{elapsed.microseconds:06d}_{self.rank}_{self.id}"

    @classmethod
    def decode(cls, raw: str) -> Cursor | None:
        """A cursor from the address bar, as ``encode`` writes it (ASCII digits, each
        part bounded by its column); anything else means the first page."""
        match = _CURSOR.fullmatch(raw)
        if match is None:
            return None
        seconds, micros = ascii_number(match["seconds"]), int(match["micros"])
        rank = ascii_number(match["rank"], maximum=PRIORITY_RANK_MAX)
        ident = ascii_number(match["id"])
        if seconds is None or rank is None or ident is None:
            return None
        return cls(_EPOCH + timedelta(seconds=seconds, microseconds=micros), rank, ident)


@dataclass(frozen=True)
class QueueRow:
    appeal: Appeal
    overdue: bool
    due_soon: bool


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    next_cursor: str | None


def review_queue(
    user: User, filters: QueueFilters, *, after: Cursor | None = None, now: datetime | None = None
) -> QueuePage:
    """Open cases the user may see, due first; priority cases first at the same due time.

    One query (plus none per row): LIMIT 26 over a partial index on open cases.
    """
    now = now or timezone.now()
    # Their jurisdictions only, and never their own appeal (permissions decides).
    rows = Appeal.objects.filter(status__in=OPEN_STATUSES).filter(staff_appeal_scope(user))
    if filters.jurisdiction:
        rows = rows.filter(jurisdiction_id=filters.jurisdiction)
    if filters.platform:
        rows = rows.filter(platform_id=filters.platform)
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.priority:
        rows = rows.filter(priority=filters.priority)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.assigned == "me":
        rows = rows.filter(assigned_to=user)
    elif filters.assigned == "unassigned":
        rows = rows.filter(assigned_to__isnull=True)
    if after is not None:
        rows = rows.filter(
            Q(due_at__gt=after.due_at)
            | Q(due_at=after.due_at, priority_rank__gt=after.rank)
            | Q(due_at=after.due_at, priority_rank=after.rank, id__gt=after.id)
        )
    page = list(
        rows.select_related("platform", "jurisdiction", "assigned_to")
        # Only what a row shows: whole rows of the case, its platform and its
        # reviewer cost more to load than the query takes.
        .only(
            "reference",
            "status",
            "priority_rank",
            "due_at",
            "paused_at",
            "platform__name",
            "jurisdiction__code",
            "assigned_to__email",
            "assigned_to__full_name",
        )
        .order_by("due_at", "priority_rank", "id")[: QUEUE_PAGE_SIZE + 1]
    )
    more = len(page) > QUEUE_PAGE_SIZE
    page = page[:QUEUE_PAGE_SIZE]
    next_cursor = (
        Cursor(page[-1].due_at, page[-1].priority_rank, page[-1].id).encode()
        if more and page
        else None
    )
    return QueuePage(
        rows=[
            QueueRow(
                appeal=a,
                overdue=a.paused_at is None and a.due_at < now,
                due_soon=a.paused_at is None and now <= a.due_at < now + DUE_SOON,
            )
            for a in page
        ],
        next_cursor=next_cursor,
    )


def appeal_get_for_staff(user: User, reference: str) -> Appeal:
    """The case for a staff member about to act on it: 404 for a reviewer with a
    conflict of interest."""
    return appeal_and_conflicts_for_staff(user, reference)[0]


def appeal_for_staff_to_read(user: User, reference: str) -> Appeal:
    """The case for a staff member reading it (its page, letters, evidence)."""
    return appeal_and_conflicts_for_staff(user, reference, reading=True)[0]


def appeal_and_conflicts_for_staff(
    user: User, reference: str, *, reading: bool = False
) -> tuple[Appeal, list[str]]:
    """The case, or 404 for staff who may not see it, with the user's conflicts of
    interest in it (computed once: the case page shows them).

    A reviewer with a conflict of interest stays out of the case, except to read
    a case they decided themselves (``reading``): the conflict stops them acting,
    not reading their own decision.
    """
    appeal = (
        Appeal.objects.select_related(
            "takedown__platform", "jurisdiction", "appellant", "assigned_to", "platform"
        )
        .filter(reference=reference.upper())
        .first()
    )
    if appeal is None or not can_see_case_as_staff(user, appeal):
        raise Http404
    # Nobody reviews, or reads the internal notes of, their own appeal.
    if appeal.appellant_id == user.pk:
        raise Http404
    conflicts = conflicts_of_interest(user, appeal)
    if (
        conflicts
        and not has_role(user, Role.SUPERVISOR)
        and not (reading and took_decision_on(user, appeal))
    ):
        raise Http404
    return appeal, conflicts


def related_cases(appeal: Appeal, user: User, *, limit: int = 10) -> dict[str, list[Appeal]]:
    """Other cases about the same takedown, the same content or by the same person."""
    scope = staff_appeal_scope(user)

    def scoped(q: Q) -> list[Appeal]:
        rows = Appeal.objects.filter(q).filter(scope).exclude(pk=appeal.pk)
        return list(rows.only("reference", "status", "filed_at").order_by("-id")[:limit])

    related = {
        "takedown": scoped(Q(takedown_id=appeal.takedown_id)),
        "appellant": scoped(Q(appellant_id=appeal.appellant_id)),
        "content": [],
    }
    url = appeal.takedown.content_url
    if url:
        related["content"] = scoped(
            Q(takedown__content_url=url) & ~Q(takedown_id=appeal.takedown_id)
        )
    return related


def appeal_timeline_for_staff(appeal: Appeal) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(appeal=appeal).select_related("actor").order_by("id"))


def pending_proposal(appeal: Appeal) -> DecisionProposal | None:
    return (
        DecisionProposal.objects.filter(appeal=appeal, state=DecisionProposal.State.PENDING)
        .select_related("proposed_by")
        .first()
    )


def proposals_history(appeal: Appeal) -> list[DecisionProposal]:
    return list(
        DecisionProposal.objects.filter(appeal=appeal)
        .select_related("proposed_by", "second_reviewer")
        .order_by("proposed_at")
    )


@dataclass(frozen=True)
class Workload:
    reviewer: User
    open_cases: int
    cap: int
    overdue: int


def workload_per_reviewer(*, now: datetime | None = None) -> list[Workload]:
    """Open and overdue cases per reviewer: two grouped queries, bounded by the
    number of reviewers, not of cases."""
    now = now or timezone.now()
    profiles = list(ReviewerProfile.objects.select_related("user").order_by("user__email"))
    ids = [p.user_id for p in profiles]
    counts: dict[Any, dict[str, int]] = {
        row["assigned_to"]: row
        for row in Appeal.objects.filter(assigned_to__in=ids, status__in=OPEN_STATUSES)
        .values("assigned_to")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_at__lt=now, paused_at__isnull=True)),
        )
    }
    return [
        Workload(
            reviewer=p.user,
            open_cases=counts.get(p.user_id, {}).get("open", 0),
            cap=p.workload_cap,
            overdue=counts.get(p.user_id, {}).get("overdue", 0),
        )
        for p in profiles
    ]


def qualified_reviewers(appeal: Appeal) -> list[User]:
    return [
        p.user
        for p in ReviewerProfile.objects.filter(active=True, jurisdictions=appeal.jurisdiction_id)
        .select_related("user")
        .order_by("user__email")
    ]


# --- What a case page shows staff (the caller has the appeal in scope) ----------------


def evidence_of_appeal(appeal: Appeal) -> list[EvidenceFile]:
    return list(EvidenceFile.objects.filter(appeal=appeal))


def evidence_get_for_appeal(appeal: Appeal, evidence_id: uuid.UUID) -> EvidenceFile:
    """One file of ``appeal``; any other is a 404."""
    evidence = EvidenceFile.objects.filter(pk=evidence_id, appeal=appeal).first()
    if evidence is None:
        raise Http404
    return evidence


def letters_of_appeal(appeal: Appeal) -> list[Letter]:
    """Every letter of ``appeal``, issued or not, oldest first."""
    return list(Letter.objects.filter(appeal=appeal).order_by("requested_at"))


def letter_issued_get(appeal: Appeal, letter_id: uuid.UUID) -> Letter:
    """An issued letter of ``appeal``; any other is a 404."""
    letter = Letter.objects.filter(pk=letter_id, appeal=appeal, status=Letter.Status.ISSUED).first()
    if letter is None:
        raise Http404
    return letter


def proposal_get(appeal: Appeal, proposal_id: int) -> DecisionProposal:
    """A decision proposal on ``appeal``; any other is a 404."""
    proposal = DecisionProposal.objects.filter(pk=proposal_id, appeal=appeal).first()
    if proposal is None:
        raise Http404
    return proposal


def reviewer_choices(reviewers: list[User]) -> QuerySet[User]:
    """The reviewers a supervisor may assign, as the form's choices (read when shown)."""
    return User.objects.filter(pk__in=[r.pk for r in reviewers])
