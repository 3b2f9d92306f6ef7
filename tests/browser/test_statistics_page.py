"""The public statistics page, with charts, passes axe-core."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from appeals.models import Outcome
from appeals.roles import Role
from tests.browser.conftest import AxeChecker
from tests.test_statistics import decided_appeals

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_statistics_page_shows_charts_with_tables(
    page: Any, axe: AxeChecker, make_user: Any
) -> None:
    reviewer = make_user("stats-reviewer@example.org", roles=(Role.REVIEWER,), mfa=True)
    decided_appeals(
        make_user,
        reviewer,
        11,
        filed=timezone.now() - timedelta(days=2),
        hours=[4, 8],
        outcomes=[Outcome.UPHELD],
    )
    page.goto("/statistics/")
    page.get_by_role("heading", name="How the portal is doing").wait_for()
    axe.check(page)
    chart = page.get_by_role("img", name="Appeals decided, by outcome")
    assert chart.count() == 1
    assert page.get_by_role("table").count() >= 3
    page.get_by_label("Period").fill("2020")
    page.get_by_role("button", name="Show").click()
    page.get_by_text("Not enough cases in this period").first.wait_for()
    axe.check(page)
