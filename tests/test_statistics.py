"""Every published figure, checked exactly against a known set of cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appeals.models import Outcome, StatFact, TransparencyReport, User
from appeals.selectors.statistics import Filters, Period, statistics_for
from appeals.services.assignment import appeal_claim
from appeals.services.decisions import appeal_decide
from appeals.services.transparency import transparency_report_build
from tests.factories import decision_input, file_appeal, jurisdiction

pytestmark = pytest.mark.django_db

# 22:30 UTC on 31 October 2026 is 23:30 in Berlin (UTC+1 after the clocks changed):
# still October there.
LATE_OCTOBER_BERLIN = datetime(2026, 10, 31, 22, 30, tzinfo=UTC)
EARLY_NOVEMBER = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def decided_appeals(
    make_user: Callable[..., User],
    reviewer: User,
    count: int,
    *,
    filed: datetime,
    hours: list[int],
    outcomes: list[Outcome],
    code: str = "DE",
) -> None:
    for i in range(count):
        appeal = file_appeal(
            make_user(f"p{code}{i}-{filed.day}@example.org"),
            now=filed,
            jurisdiction=jurisdiction(code),
        )
        appeal_claim(appeal=appeal, reviewer=reviewer, now=filed)
        outcome = outcomes[i % len(outcomes)]
        reverses = outcome in (Outcome.REVERSED, Outcome.PARTLY_REVERSED)
        appeal_decide(
            appeal=appeal,
            reviewer=reviewer,
            decision=decision_input(
                outcome=outcome, remedies_ordered=["reinstate_content"] if reverses else []
            ),
            now=filed + timedelta(hours=hours[i % len(hours)]),
        )


def test_each_figure_is_computed_exactly(make_user: Callable[..., User], reviewer: User) -> None:
    # Twelve appeals decided after 10, 20, ..., 120 hours; 4 reversed, 8 upheld.
    decided_appeals(
        make_user,
        reviewer,
        12,
        filed=EARLY_NOVEMBER,
        hours=[10 * (i + 1) for i in range(12)],
        outcomes=[Outcome.REVERSED, Outcome.UPHELD, Outcome.UPHELD],
    )
    figures = statistics_for(Period.parse("2026-11", today=date(2026, 11, 30)))
    appeals = figures["appeals"]
    assert appeals["received"] == 12 and appeals["decided"] == 12
    assert appeals["outcomes"] == {"reversed": None, "upheld": None}  # 4 and 8: below 10
    assert appeals["reversed"] is None  # 4 reversals: suppressed
    assert appeals["reversal_rate"] == round(4 / 12, 4)  # based on 12 decisions: shown
    assert appeals["median_hours_to_decision"] == 65.0  # mean of 60 and 70
    assert appeals["p90_hours_to_decision"] == 110.0  # nearest rank: the 11th of 12
    assert appeals["share_decided_within_deadline"] == 1.0
    assert figures["retractions"]["ordered"] is None  # 4 orders
    assert StatFact.objects.filter(kind="retraction_ordered").count() == 4


def test_small_groups_are_suppressed_everywhere(
    make_user: Callable[..., User], reviewer: User
) -> None:
    decided_appeals(
        make_user, reviewer, 3, filed=EARLY_NOVEMBER, hours=[5], outcomes=[Outcome.UPHELD]
    )
    figures = statistics_for(Period.parse("2026-11", today=date(2026, 11, 30)))
    assert figures["appeals"]["received"] is None
    assert figures["appeals"]["median_hours_to_decision"] is None
    assert figures["appeals"]["reversal_rate"] is None
    page = Client().get(reverse("statistics"), {"period": "2026-11"}).content.decode()
    assert "fewer than 10" in page


def test_periods_follow_each_jurisdictions_local_calendar(
    make_user: Callable[..., User], reviewer: User
) -> None:
    # Filed at 23:30 on 31 October, Berlin time: counted in October.
    decided_appeals(
        make_user, reviewer, 10, filed=LATE_OCTOBER_BERLIN, hours=[1], outcomes=[Outcome.UPHELD]
    )
    october = statistics_for(Period.parse("2026-10", today=date(2026, 11, 30)))
    november = statistics_for(Period.parse("2026-11", today=date(2026, 11, 30)))
    assert october["appeals"]["received"] == 10
    assert november["appeals"]["received"] == 0
    # Decided 1 hour later: 00:30 on 1 November in Berlin.
    assert november["appeals"]["decided"] == 10 and october["appeals"]["decided"] == 0
    # A jurisdiction filter narrows every figure.
    assert (
        statistics_for(
            Period.parse("2026-10", today=date(2026, 11, 30)), Filters(jurisdiction="FR")
        )["appeals"]["received"]
        == 0
    )


def test_period_labels_parse_and_bad_ones_fall_back_to_the_quarter() -> None:
    today = date(2026, 11, 26)
    assert Period.parse("2026", today=today).start == date(2026, 1, 1)
    q4 = Period.parse("2026-q4", today=today)
    assert (q4.start, q4.end) == (date(2026, 10, 1), date(2027, 1, 1))
    dec = Period.parse("2026-12", today=today)
    assert (dec.start, dec.end) == (date(2026, 12, 1), date(2027, 1, 1))
    assert Period.parse("<script>", today=today).label == "2026-Q4"
    assert Period.parse("2026-13", today=today).label == "2026-Q4"


def test_downloads_carry_the_same_figures(make_user: Callable[..., User], reviewer: User) -> None:
    decided_appeals(
        make_user, reviewer, 10, filed=EARLY_NOVEMBER, hours=[3], outcomes=[Outcome.UPHELD]
    )
    as_json = Client().get(reverse("statistics_json"), {"period": "2026-11"}).json()
    assert as_json["appeals"]["decided"] == 10
    as_csv = Client().get(reverse("statistics_csv"), {"period": "2026-11"}).content.decode()
    assert "appeals.decided,10" in as_csv and "appeals.reversed,suppressed" not in as_csv


def test_a_transparency_report_is_built_with_progress(
    make_user: Callable[..., User], reviewer: User
) -> None:
    decided_appeals(
        make_user, reviewer, 10, filed=EARLY_NOVEMBER, hours=[3], outcomes=[Outcome.UPHELD]
    )
    report = TransparencyReport.objects.create(
        period_start=date(2026, 10, 1), period_end=date(2027, 1, 1)
    )
    transparency_report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "done" and report.progress == 100
    assert report.result["overall"]["appeals"]["decided"] == 10
    assert report.result["by_month"]["2026-11"]["appeals"]["decided"] == 10
    assert report.result["by_jurisdiction"]["DE"]["appeals"]["received"] == 10
    download = Client().get(reverse("transparency_report_download", args=[report.pk, "csv"]))
    assert "overall.appeals.decided,10" in download.content.decode()


def test_the_public_figures_are_reused_for_a_few_minutes(client: Client, settings: Any) -> None:
    settings.STATS_CACHE_SECONDS = 300
    cache.clear()
    url = reverse("statistics_json") + "?period=2026-11"
    StatFact.objects.bulk_create(
        [StatFact(kind="appeal_received", day=date(2026, 11, 3), jurisdiction="DE")] * 12
    )
    assert client.get(url).json()["appeals"]["received"] == 12
    assert client.get(reverse("statistics") + "?period=2026-11").status_code == 200

    # One more fact: the cached figures are shown, without reading the facts table.
    StatFact.objects.create(kind="appeal_received", day=date(2026, 11, 4), jurisdiction="DE")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).json()["appeals"]["received"] == 12
    assert not [q for q in queries if "appeals_statfact" in q["sql"]]

    # Once they expire, the figures are counted again.
    cache.clear()
    assert client.get(url).json()["appeals"]["received"] == 13
