"""Benchmark harm reports: each with its jurisdictions, referrals (one per platform
and jurisdiction), content locations, audit event and statistics fact."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from appeals.models import (
    AuditAction,
    AuditEvent,
    ContentLocation,
    HarmReport,
    Jurisdiction,
    Platform,
    Referral,
    StatFact,
    User,
)
from appeals.models.report import ConsentGivenBy, HarmCategory, ReferralStatus
from appeals.models.stats import StatKind
from portal.benchmark.bulk import FACT_COLUMNS, AuditChain, copy_rows, reference, site_url

_HARMS = [h.value for h in HarmCategory]


def generate_reports(
    count: int,
    *,
    now: datetime,
    rng: random.Random,
    chain: AuditChain,
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

    copy_rows(
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
    copy_rows(
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

    referral_count = copy_rows(
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
    copy_rows(
        ContentLocation,
        ["report_id", "url", "platform_id", "hosting_country", "sha256", "perceptual_hash"],
        (
            (pk, f"{site_url(p)}/media/{n}-{k}", p.pk, "DE", f"{n:064x}"[-64:], "")
            for n, (pk, _f, _h, _places, hosts) in enumerate(rows)
            for k, p in enumerate(hosts)
        ),
    )
    events = copy_rows(
        AuditEvent,
        AuditChain.columns,
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
    facts = copy_rows(
        StatFact,
        FACT_COLUMNS,
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
