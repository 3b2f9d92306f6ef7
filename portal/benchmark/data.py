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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from appeals.models import (
    Appeal,
    AppealStatus,
    AuditAction,
    AuditEvent,
    BasisKind,
    ContentLocation,
    Decision,
    HarmReport,
    Jurisdiction,
    Outcome,
    Platform,
    Referral,
    StatFact,
    Takedown,
    User,
)
from appeals.models.appeal import REFERENCE_ALPHABET
from appeals.models.audit import GENESIS_HASH
from appeals.models.report import ConsentGivenBy, HarmCategory, ReferralStatus
from appeals.models.stats import StatKind
from appeals.services.audit import event_hash
from appeals.vocabulary import Category, DecisionGround, Measure

BENCH_EMAIL_DOMAIN = "bench.example.org"
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
_FACT_COLUMNS = [
    "kind",
    "day",
    "jurisdiction",
    "platform",
    "category",
    "outcome",
    "hours",
    "on_time",
    "trusted_flagger",
    "automated",
]


@dataclass(frozen=True)
class Generated:
    open_appeals: int
    decided_appeals: int
    reports: int
    referrals: int
    audit_events: int
    stat_facts: int
    seconds: float


def reference(prefix: str, number: int) -> str:
    """A unique, well-formed case reference for row ``number`` (8 characters of the
    reference alphabet, scrambled by a multiplicative permutation so neighbours
    do not look alike)."""
    base = len(REFERENCE_ALPHABET)
    space = base**8
    n = (number * 2_654_435_761 + 12_345) % space  # odd multiplier: a bijection
    chars = []
    for _ in range(8):
        n, digit = divmod(n, base)
        chars.append(REFERENCE_ALPHABET[digit])
    text = "".join(chars)
    return f"{prefix}-{text[:4]}-{text[4:]}"


def _copy(model: type[models.Model], columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """COPY rows into the model's table; ``columns`` are field names (``_id`` for keys)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _next_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # nosec B608 (model's table)
        row = cursor.fetchone()
        return int(row[0]) if row else 1


def _reset_sequence(model: type[models.Model]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # nosec B608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


class _Chain:
    """Appends audit events with a valid hash chain, continuing the existing one."""

    columns = [
        "id",
        "occurred_at",
        "actor_id",
        "actor_repr",
        "action",
        "user_id",
        "jurisdiction_id",
        "platform_id",
        "takedown_id",
        "appeal_id",
        "harm_report_id",
        "organisation_id",
        "object_repr",
        "details",
        "prev_hash",
        "hash",
    ]

    def __init__(self) -> None:
        last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        self.next_id = (last[0] + 1) if last else 1
        self.prev = last[1] if last else GENESIS_HASH

    def event(
        self,
        *,
        at: datetime,
        action: AuditAction,
        actor: User | None,
        appeal_id: int | None = None,
        report_id: uuid.UUID | None = None,
        object_repr: str,
        details: dict[str, Any],
    ) -> tuple[Any, ...]:
        targets: dict[str, int | str] = {}
        if appeal_id is not None:
            targets["appeal"] = appeal_id
        if report_id is not None:
            targets["harm_report"] = str(report_id)
        actor_repr = str(actor) if actor else "system"
        digest = event_hash(
            prev_hash=self.prev,
            occurred_at=at,
            actor_id=actor.pk if actor else None,
            actor_repr=actor_repr,
            action=action.value,
            target_ids=targets,
            object_repr=object_repr,
            details=details,
        )
        row = (
            self.next_id,
            at,
            actor.pk if actor else None,
            actor_repr,
            action.value,
            None,
            None,
            None,
            None,
            appeal_id,
            report_id,
            None,
            object_repr,
            json.dumps(details, sort_keys=True, separators=(",", ":")),
            self.prev,
            digest,
        )
        self.prev = digest
        self.next_id += 1
        return row


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
        first_user = _next_id(User)
        appellants = (total - DEMO_APPELLANT_CASES) // APPEALS_PER_APPELLANT + 1
        _copy(
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
                    f"appellant{i}@{BENCH_EMAIL_DOMAIN}",
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

        first_takedown = _next_id(Takedown)
        first_appeal = _next_id(Appeal)
        chain = _Chain()
        plan = [
            _appeal_plan(i, i >= open_appeals, now, rng, jurisdictions, platforms)
            for i in range(total)
        ]

        def owner(i: int) -> int:
            if i < DEMO_APPELLANT_CASES:
                return demo_appellant.pk
            return first_user + (i - DEMO_APPELLANT_CASES) // APPEALS_PER_APPELLANT

        _copy(
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
                    f"{_site(p['platform'])}/post/{i}",
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

        _copy(
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

        first_decision = _next_id(Decision)
        _copy(
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

        events = _copy(AuditEvent, _Chain.columns, appeal_events())
        progress(f"audit events for appeals: {events:,}")

        facts = _copy(
            StatFact,
            _FACT_COLUMNS,
            _appeal_facts(plan),
        )
        progress(f"statistics facts for appeals: {facts:,}")

        report_counts = _reports(
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
            _reset_sequence(model)

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


def _site(platform: Platform) -> str:
    return (platform.website or f"https://{platform.slug}.example").rstrip("/")


def _day(at: datetime, zone: str) -> Any:
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo(zone)).date()


def _reports(
    count: int,
    *,
    now: datetime,
    rng: random.Random,
    chain: _Chain,
    jurisdictions: list[Jurisdiction],
    platforms: list[Platform],
    advocate: User,
    organisation_id: uuid.UUID | None,
) -> dict[str, int]:
    rows = []
    for i in range(count):
        filed_at = now - timedelta(seconds=rng.random() * 300 * 86_400)
        harm = _HARMS[i % len(_HARMS)]
        places = [jurisdictions[(i + k) % len(jurisdictions)] for k in range(1 + i % 3)]
        hosts = [platforms[(i + k) % len(platforms)] for k in range(1 + i % 2)]
        rows.append((uuid.UUID(int=rng.getrandbits(128), version=4), filed_at, harm, places, hosts))

    _copy(
        HarmReport,
        [
            "id",
            "reference",
            "organisation_id",
            "filed_by_id",
            "reporter_name",
            "reporter_email",
            "victim_reference",
            "victim_contact",
            "consent_given_by",
            "consent_scope",
            "consent_at",
            "categories",
            "urgent",
            "threat_to_life",
            "explanation",
            "requested_actions",
            "trusted_flagger",
            "status",
            "filed_at",
            "pin_hash",
            "link_token_hash",
            "legal_hold",
        ],
        (
            (
                pk,
                reference("RPT", n + 1),
                organisation_id,
                advocate.pk,
                "",
                "",
                f"V-{n}",
                "",
                ConsentGivenBy.ADVOCATE.value,
                "Report and follow up.",
                filed_at,
                json.dumps([harm]),
                n % 10 == 0,
                False,
                "The images were shared without consent.",
                '["remove"]',
                n % 2 == 0,
                HarmReport.Status.OPEN.value
                if filed_at > now - timedelta(days=30)
                else HarmReport.Status.CLOSED.value,
                filed_at,
                "",
                "",
                False,
            )
            for n, (pk, filed_at, harm, _places, _hosts) in enumerate(rows)
        ),
    )
    through = HarmReport.jurisdictions.through
    _copy(
        through,
        ["harmreport_id", "jurisdiction_id"],
        ((pk, j.pk) for pk, _f, _h, places, _p in rows for j in places),
    )

    def referrals() -> Iterator[tuple[Any, ...]]:
        for pk, filed_at, _harm, places, hosts in rows:
            open_ = filed_at > now - timedelta(days=30)
            for platform in hosts:
                for j in places:
                    status = ReferralStatus.SENT if open_ else ReferralStatus.ACTIONED
                    yield (
                        uuid.UUID(int=rng.getrandbits(128), version=4),
                        pk,
                        platform.pk,
                        j.pk,
                        status.value,
                        filed_at + timedelta(days=30 if open_ else 2),
                        filed_at,
                        filed_at,
                        "",
                    )

    referral_count = _copy(
        Referral,
        [
            "id",
            "report_id",
            "platform_id",
            "jurisdiction_id",
            "status",
            "due_at",
            "created_at",
            "updated_at",
            "outcome",
        ],
        referrals(),
    )
    _copy(
        ContentLocation,
        ["report_id", "url", "platform_id", "hosting_country", "sha256", "perceptual_hash"],
        (
            (pk, f"{_site(p)}/media/{n}-{k}", p.pk, "DE", f"{n:064x}"[-64:], "")
            for n, (pk, _f, _h, _places, hosts) in enumerate(rows)
            for k, p in enumerate(hosts)
        ),
    )
    events = _copy(
        AuditEvent,
        _Chain.columns,
        (
            chain.event(
                at=filed_at,
                action=AuditAction.REPORT_FILED,
                actor=advocate,
                report_id=pk,
                object_repr=reference("RPT", n + 1),
                details={"categories": [harm]},
            )
            for n, (pk, filed_at, harm, _places, _hosts) in enumerate(rows)
        ),
    )
    facts = _copy(
        StatFact,
        _FACT_COLUMNS,
        (
            (
                StatKind.REPORT_RECEIVED.value,
                filed_at.astimezone(UTC).date(),
                "",
                "",
                harm,
                "",
                None,
                None,
                n % 2 == 0,
                None,
            )
            for n, (_pk, filed_at, harm, _places, _hosts) in enumerate(rows)
        ),
    )
    return {"referrals": referral_count, "events": events, "facts": facts}
