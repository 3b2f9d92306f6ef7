"""Reads for the supervisors' deadlines page: what is due, and the escalations of
every kind waiting for them.

An escalation belongs to an appeal (its deadline, a retraction order overdue or
disputed), to a harm report (a referral overdue, a threat to life) or to a
sanction that its person contests. The list pages by keyset and never counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from appeals.models import Appeal, Escalation, MisuseMark, Retraction, RetractionStatus, User
from appeals.models.appeal import RUNNING_STATUSES
from appeals.paging import ascii_number
from appeals.permissions import staff_escalation_scope

ESCALATION_PAGE_SIZE = 25
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class EscalationCursor:
    """Where a page ends: rank (threats to life first), the time, the id. The
    time is kept in whole microseconds so the next page starts exactly after it."""

    rank: int
    at: datetime
    id: int

    def encode(self) -> str:
        return f"{self.rank}_{(self.at - _EPOCH) // timedelta(microseconds=1)}_{self.id}"

    @classmethod
    def decode(cls, raw: str) -> EscalationCursor | None:
        """A cursor from the address bar; anything malformed means the first page."""
        try:
            rank, micros, ident = (ascii_number(part) for part in raw.split("_"))
            if rank is None or micros is None or ident is None:
                return None
            return cls(rank, _EPOCH + timedelta(microseconds=micros), ident)
        except (ValueError, OverflowError):
            return None


@dataclass(frozen=True)
class EscalationPage:
    rows: list[Escalation]
    next_cursor: str | None


def _with_everything_a_row_shows(rows: QuerySet[Escalation]) -> QuerySet[Escalation]:
    """One query for the rows, and one more only if the page holds a contested
    sanction: the submissions marked unfounded that led to it, to judge the contest."""
    return rows.select_related(
        "appeal",
        "report",
        "referral__platform",
        "referral__jurisdiction",
        "retraction__platform",
        "sanction__user",
        "handled_by",
    ).prefetch_related(
        Prefetch(
            "sanction__user__misuse_marks",
            queryset=MisuseMark.objects.select_related("appeal", "report").order_by("-marked_at"),
        )
    )


def escalation_get(user: User, escalation_id: int) -> Escalation:
    """One escalation a supervisor may handle (every one but those of their own
    appeal, report or sanction), or 404."""
    escalation = Escalation.objects.filter(staff_escalation_scope(user), pk=escalation_id).first()
    if escalation is None:
        raise Http404
    return escalation


def escalations_open(user: User, *, after: EscalationCursor | None = None) -> EscalationPage:
    """Escalations nobody has handled: threats to life first, then the oldest first.

    One query per page (LIMIT 26), whatever the number waiting.
    """
    rows = Escalation.objects.filter(
        staff_escalation_scope(user), handled_at__isnull=True
    ).annotate(
        rank=Case(
            When(kind=Escalation.Kind.THREAT_TO_LIFE, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    if after is not None:
        rows = rows.filter(
            Q(rank__gt=after.rank)
            | Q(rank=after.rank, created_at__gt=after.at)
            | Q(rank=after.rank, created_at=after.at, id__gt=after.id)
        )
    page = list(
        _with_everything_a_row_shows(rows).order_by("rank", "created_at", "id")[
            : ESCALATION_PAGE_SIZE + 1
        ]
    )
    more = len(page) > ESCALATION_PAGE_SIZE
    page = page[:ESCALATION_PAGE_SIZE]
    last: Any = page[-1] if page else None
    return EscalationPage(
        rows=page,
        next_cursor=(
            EscalationCursor(last.rank, last.created_at, last.pk).encode()
            if more and last
            else None
        ),
    )


def escalations_handled(user: User, *, after: EscalationCursor | None = None) -> EscalationPage:
    """Escalations already handled, the latest first, with who handled them and their note."""
    rows = Escalation.objects.filter(staff_escalation_scope(user), handled_at__isnull=False)
    if after is not None:
        rows = rows.filter(Q(handled_at__lt=after.at) | Q(handled_at=after.at, id__lt=after.id))
    page = list(
        _with_everything_a_row_shows(rows).order_by("-handled_at", "-id")[
            : ESCALATION_PAGE_SIZE + 1
        ]
    )
    more = len(page) > ESCALATION_PAGE_SIZE
    page = page[:ESCALATION_PAGE_SIZE]
    last = page[-1] if page else None
    return EscalationPage(
        rows=page,
        next_cursor=(
            EscalationCursor(0, last.handled_at, last.pk).encode()
            if more and last is not None and last.handled_at is not None
            else None
        ),
    )


@dataclass(frozen=True)
class DeadlineFigures:
    due_today: int
    overdue_by_jurisdiction: list[dict[str, Any]]
    late_retractions_by_platform: list[dict[str, Any]]


def deadline_figures(*, now: datetime | None = None) -> DeadlineFigures:
    """Due today, overdue appeals per jurisdiction, late retraction orders per platform.

    Aggregates in the database over due-time ranges the partial indexes serve;
    one row per jurisdiction or platform, so the lists are short by nature.
    """
    now = now or timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)
    running = Appeal.objects.filter(status__in=RUNNING_STATUSES)
    return DeadlineFigures(
        due_today=running.filter(due_at__gte=start, due_at__lt=end).count(),
        overdue_by_jurisdiction=list(
            running.filter(due_at__lt=now)
            .values("jurisdiction__code", "jurisdiction__name")
            .annotate(n=Count("id"))
            .order_by("-n", "jurisdiction__code")
        ),
        late_retractions_by_platform=list(
            Retraction.objects.filter(
                Q(status=RetractionStatus.ESCALATED)
                | Q(status=RetractionStatus.ORDERED, due_at__lt=now)
            )
            .values("platform__name")
            .annotate(n=Count("id"))
            .order_by("-n", "platform__name")
        ),
    )
