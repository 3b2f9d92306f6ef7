"""Benchmark data: a million open appeals, decided ones beside them, harm reports with
their referrals, the audit trail of all of them and the statistics facts, written with
PostgreSQL's COPY (never the ORM row by row).

The rows are shaped like the ones the services write (same statuses, deadlines,
audit events with a valid hash chain, statistics facts), so every page and the
``verify_audit`` check work on them. Deterministic: the same arguments give the same
data (a fixed random seed).
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from appeals.models import (
    Appeal,
    AppealStatus,
    AuditAction,
    AuditEvent,
    BasisKind,
    ContentLocation,
    Decision,
    Jurisdiction,
    Outcome,
    Platform,
    StatFact,
    Takedown,
    User,
)
from appeals.models.report import HarmCategory
from appeals.models.stats import StatKind
from appeals.vocabulary import Category, DecisionGround, Measure
from portal.benchmark.bulk import (
    FACT_COLUMNS,
    AuditChain,
    copy_rows,
    next_id,
    reference,
    reset_sequence,
    site_url,
)
from portal.benchmark.reports import generate_reports

BENCH_EMAIL_HOST = "bench.example.org"
APPEALS_PER_APPELLANT = 10
# The demo appellant gets more cases than anyone, for the case-list page.
DEMO_APPELLANT_CASES = 60

_OPEN_STATUSES = (
    AppealStatus.SUBMITTED,
    AppealStatus.SUBMITTED,
    AppealStatus.UNDER_REVIEW,
    AppealStatus.UNDER_REVIEW,
    AppealStatus.AWAITING_APPELLANT,
    AppealStatus.AWAITING_SECOND_REVIEW,
)
_CATEGORIES = [c.value for c in Category][:8]
_MEASURES = [m.value for m in Measure]
_OUTCOMES = (Outcome.UPHELD, Outcome.UPHELD, Outcome.REVERSED, Outcome.PARTLY_REVERSED)
_HARMS = [h.value for h in HarmCategory]


@dataclass(frozen=True)
class Generated:
    open_appeals: int
    decided_appeals: int
    reports: int
    referrals: int
    audit_events: int
    stat_facts: int
    seconds: float


def generate(
    *,
    open_appeals: int = 1_000_000,
    decided_appeals: int = 200_000,
    reports: int = 100_000,
    progress: Callable[[str], None] = print,
) -> Generated:
    """Write the benchmark rows into a database that holds the demo data (seed_demo)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The benchmark data is written with PostgreSQL's COPY.")
    started = time.monotonic()
    rng = random.Random(20261126)  # noqa: S311 (benchmark data, not secrets)  # nosec B311
    now = timezone.now().replace(microsecond=0)
    jurisdictions = list(Jurisdiction.objects.order_by("code"))
    platforms = list(Platform.objects.order_by("slug"))
    reviewer = User.objects.get(email="reviewer@example.org")
    demo_appellant = User.objects.get(email="appellant@example.org")
    advocate = User.objects.get(email="advocate@example.org")
    organisation_id = advocate.memberships.values_list("organisation_id", flat=True).first()  # type: ignore[attr-defined]
    total = open_appeals + decided_appeals

    with transaction.atomic():
        # Appellants: ten cases each, their emails unique and clearly fake.
        first_user = next_id(User)
        appellants = (total - DEMO_APPELLANT_CASES) // APPEALS_PER_APPELLANT + 1
        copy_rows(
            User,
            [
                "id",
                "password",
                "email",
                "full_name",
                "is_staff",
                "is_active",
                "is_superuser",
                "date_joined",
            ],
            (
                (
                    first_user + i,
                    "!",
                    f"appellant{i}@{BENCH_EMAIL_HOST}",
                    "",
                    False,
                    True,
                    False,
                    now,
                )
                for i in range(appellants)
            ),
        )
        progress(f"users: {appellants:,}")

        first_takedown = next_id(Takedown)
        first_appeal = next_id(Appeal)
        chain = AuditChain()
        plan = [
            _appeal_plan(i, i >= open_appeals, now, rng, jurisdictions, platforms)
            for i in range(total)
        ]

        def owner(i: int) -> int:
            if i < DEMO_APPELLANT_CASES:
                return demo_appellant.pk
            return first_user + (i - DEMO_APPELLANT_CASES) // APPEALS_PER_APPELLANT

        copy_rows(
            Takedown,
            [
                "id",
                "public_id",
                "platform_id",
                "platform_reference",
                "platform_item_id",
                "content_url",
                "content_types",
                "measures",
                "decision_ground",
                "legal_provision",
                "ground_jurisdictions",
                "terms_clause",
                "ground_explanation",
                "category",
                "territorial_scope",
                "decided_on",
                "automated_detection",
                "automated_decision",
                "statement_text",
                "source",
                "created_at",
            ],
            (
                (
                    first_takedown + i,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    p["platform"].pk,
                    f"bench-{i}",
                    f"item-{i}",
                    f"{site_url(p['platform'])}/post/{i}",
                    '["CONTENT_TYPE_TEXT"]',
                    json.dumps([p["measure"]]),
                    DecisionGround.INCOMPATIBLE_CONTENT.value,
                    "",
                    "[]",
                    "Community guidelines, section 4",
                    "The post breaks the rules on harassment.",
                    p["category"],
                    json.dumps([p["jurisdiction"].code]),
                    p["informed_on"],
                    True,
                    "AUTOMATED_DECISION_PARTIALLY",
                    "",
                    Takedown.Source.IMPORTED.value,
                    p["filed_at"],
                )
                for i, p in enumerate(plan)
            ),
        )
        progress(f"takedowns: {total:,}")

        copy_rows(
            Appeal,
            [
                "id",
                "reference",
                "appellant_id",
                "takedown_id",
                "jurisdiction_id",
                "informed_on",
                "late_reason",
                "grounds",
                "remedies",
                "language",
                "status",
                "priority",
                "priority_rank",
                "platform_id",
                "category",
                "assigned_to_id",
                "assigned_at",
                "needs_second_review",
                "legal_hold",
                "remind_at",
                "reminded_at",
                "breached_at",
                "filed_at",
                "due_at",
                "paused_at",
                "decided_at",
                "submission_key",
            ],
            (
                (
                    first_appeal + i,
                    reference("APL", first_appeal + i),
                    owner(i),
                    first_takedown + i,
                    p["jurisdiction"].pk,
                    p["informed_on"],
                    "",
                    "The post quoted a news article; it did not harass anyone.",
                    '["reinstate"]',
                    p["language"],
                    p["status"],
                    p["priority"],
                    0 if p["priority"] == "priority" else 1,
                    p["platform"].pk,
                    p["category"],
                    reviewer.pk if p["assigned"] else None,
                    p["filed_at"] if p["assigned"] else None,
                    False,
                    False,
                    p["remind_at"],
                    p["remind_at"] if p["remind_at"] <= now and p["running"] else None,
                    p["due_at"] if p["due_at"] <= now and p["running"] else None,
                    p["filed_at"],
                    p["due_at"],
                    p["filed_at"] if p["status"] == AppealStatus.AWAITING_APPELLANT else None,
                    p["decided_at"],
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                )
                for i, p in enumerate(plan)
            ),
        )
        progress(f"appeals: {total:,} ({open_appeals:,} open)")

        first_decision = next_id(Decision)
        copy_rows(
            Decision,
            [
                "id",
                "appeal_id",
                "outcome",
                "reasons",
                "basis_kind",
                "basis",
                "remedies_ordered",
                "automated_means_used",
                "internal_note",
                "decided_by_id",
                "decided_at",
                "retraction_reasons",
            ],
            (
                (
                    first_decision + n,
                    first_appeal + i,
                    p["outcome"],
                    "We looked at the post and the context it was written in.",
                    BasisKind.CONTRACTUAL.value,
                    "Community guidelines, section 4: quoting is allowed.",
                    "[]",
                    False,
                    "",
                    reviewer.pk,
                    p["decided_at"],
                    "",
                )
                for n, (i, p) in enumerate((i, p) for i, p in enumerate(plan) if p["decided_at"])
            ),
        )
        progress(f"decisions: {decided_appeals:,}")

        def appeal_events() -> Iterator[tuple[Any, ...]]:
            for i, p in enumerate(plan):
                ref = reference("APL", first_appeal + i)
                yield chain.event(
                    at=p["filed_at"],
                    action=AuditAction.APPEAL_FILED,
                    actor=None,
                    appeal_id=first_appeal + i,
                    object_repr=ref,
                    details={"jurisdiction": p["jurisdiction"].code},
                )
                if p["decided_at"]:
                    yield chain.event(
                        at=p["decided_at"],
                        action=AuditAction.APPEAL_DECIDED,
                        actor=reviewer,
                        appeal_id=first_appeal + i,
                        object_repr=ref,
                        details={"outcome": p["outcome"]},
                    )

        events = copy_rows(AuditEvent, AuditChain.columns, appeal_events())
        progress(f"audit events for appeals: {events:,}")

        facts = copy_rows(
            StatFact,
            FACT_COLUMNS,
            _appeal_facts(plan),
        )
        progress(f"statistics facts for appeals: {facts:,}")

        report_counts = generate_reports(
            reports,
            now=now,
            rng=rng,
            chain=chain,
            jurisdictions=jurisdictions,
            platforms=platforms,
            advocate=advocate,
            organisation_id=organisation_id,
        )
        events += report_counts["events"]
        facts += report_counts["facts"]
        progress(f"harm reports: {reports:,}, referrals: {report_counts['referrals']:,}")

        for model in (User, Takedown, Appeal, Decision, AuditEvent, StatFact, ContentLocation):
            reset_sequence(model)

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Generated(
        open_appeals=open_appeals,
        decided_appeals=decided_appeals,
        reports=reports,
        referrals=report_counts["referrals"],
        audit_events=events,
        stat_facts=facts,
        seconds=time.monotonic() - started,
    )


def _appeal_plan(
    i: int,
    decided: bool,
    now: datetime,
    rng: random.Random,
    jurisdictions: list[Jurisdiction],
    platforms: list[Platform],
) -> dict[str, Any]:
    """One appeal's shape. Open cases were filed over the last 20 days and are due 14
    days after filing, so some are overdue (already reminded and escalated, as the
    sweep would have done); decided ones were filed over the last year."""
    jurisdiction = jurisdictions[i % len(jurisdictions)]
    if decided:
        filed_at = now - timedelta(days=30 + rng.random() * 330)
        status = AppealStatus.DECIDED
    else:
        filed_at = now - timedelta(seconds=rng.random() * 20 * 86_400)
        status = _OPEN_STATUSES[i % len(_OPEN_STATUSES)]
    due_at = filed_at + timedelta(days=14)
    decided_at = filed_at + timedelta(hours=rng.uniform(2, 300)) if decided else None
    return {
        "jurisdiction": jurisdiction,
        "platform": platforms[(i // 7) % len(platforms)],
        "category": _CATEGORIES[(i // 3) % len(_CATEGORIES)],
        "measure": _MEASURES[i % 4],
        "language": jurisdiction.languages[0] if jurisdiction.languages else "en",
        "status": status.value,
        "running": status
        in (AppealStatus.SUBMITTED, AppealStatus.UNDER_REVIEW, AppealStatus.AWAITING_SECOND_REVIEW),
        "assigned": status != AppealStatus.SUBMITTED and i % 500 == 0,
        "priority": "priority" if i % 20 == 0 else "standard",
        "informed_on": (filed_at - timedelta(days=2)).date(),
        "filed_at": filed_at,
        "due_at": due_at,
        "remind_at": filed_at + (due_at - filed_at) * 0.75,
        "decided_at": decided_at,
        "outcome": _OUTCOMES[i % len(_OUTCOMES)].value if decided else "",
    }


def _appeal_facts(plan: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    for p in plan:
        code, slug = p["jurisdiction"].code, p["platform"].slug
        zone = p["jurisdiction"].time_zone
        yield (
            StatKind.APPEAL_RECEIVED.value,
            _day(p["filed_at"], zone),
            code,
            slug,
            p["category"],
            "",
            None,
            None,
            p["priority"] == "priority",
            None,
        )
        if p["decided_at"]:
            hours = (p["decided_at"] - p["filed_at"]).total_seconds() / 3600
            yield (
                StatKind.APPEAL_DECIDED.value,
                _day(p["decided_at"], zone),
                code,
                slug,
                p["category"],
                p["outcome"],
                hours,
                p["decided_at"] <= p["due_at"],
                None,
                False,
            )


def _day(at: datetime, zone: str) -> Any:
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo(zone)).date()
