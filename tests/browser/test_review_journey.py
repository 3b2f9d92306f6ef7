"""A reviewer signs in with a second factor, claims a case, asks the appellant a
question, decides with reasons; the decision needs four eyes, and a second
reviewer approves it. Every page passes axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest

from appeals.models import AppealStatus, Decision, FourEyesRule
from appeals.roles import Role
from appeals.services.appeals import appeal_message_post
from tests.browser.conftest import AxeChecker
from tests.browser.helpers import sign_in_with_password_and_authenticator
from tests.factories import file_appeal

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"


def test_claim_ask_decide_and_approve_with_four_eyes(
    chromium_browser: Any, live_server: Any, axe: AxeChecker, make_user: Any
) -> None:
    FourEyesRule.objects.create(
        name="Any decision that orders compensation", when_compensation=True
    )
    appellant = make_user("appellant@example.org")
    first = make_user("rita@example.org", roles=(Role.REVIEWER,), mfa=True)
    second = make_user("sam@example.org", roles=(Role.REVIEWER,), mfa=True)
    appeal = file_appeal(appellant)

    context = chromium_browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in_with_password_and_authenticator(page, axe, first.email, PASSWORD)

    page.get_by_role("link", name="Staff area").click()
    page.get_by_role("link", name="Review queue").click()
    page.get_by_role("heading", name="Review queue").wait_for()
    axe.check(page)
    page.get_by_role("link", name=appeal.reference).click()
    page.get_by_role("heading", name=appeal.reference).wait_for()
    axe.check(page)
    page.get_by_role("button", name="Claim this case").click()
    page.get_by_text("The case is yours.").wait_for()
    axe.check(page)

    page.get_by_label("Your question to the appellant").fill("Was the video yours?")
    page.get_by_role("button", name="Send the question").click()
    page.get_by_text("The clock is paused").first.wait_for()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.AWAITING_APPELLANT

    appeal_message_post(appeal=appeal, author=appellant, body="Yes, I filmed it myself.")
    page.reload()
    page.get_by_text("Yes, I filmed it myself.").wait_for()
    page.get_by_label("The platform’s decision is reversed").check()
    page.get_by_label("Reasons (the appellant sees these)").fill(
        "The video is the appellant's own news footage; rule 3 allows news reporting."
    )
    page.get_by_label("The platform’s terms of service").check()
    page.get_by_label("The provision or clause, and how it applies").fill(
        "Community rules, section 3, news exception."
    )
    page.get_by_label("Put the content back").check()
    page.get_by_label("Pay compensation for the harm").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text(re.compile("needs a second reviewer")).first.wait_for()
    axe.check(page)
    assert not Decision.objects.exists()
    context.close()

    context = chromium_browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in_with_password_and_authenticator(page, axe, second.email, PASSWORD)
    page.goto(f"/review/cases/{appeal.reference}/")
    page.get_by_role("heading", name="Decision waiting for a second reviewer").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Approve this decision").click()
    page.get_by_text("You approved the decision.").wait_for()
    axe.check(page)
    context.close()

    decision = Decision.objects.get(appeal=appeal)
    assert decision.decided_by == first and decision.approved_by == second
