"""A new user contests two takedowns (one the platform reported to us, one we
have never heard of), answers a question from the reviewer and withdraws an
appeal. Every page passes axe-core; the core journey needs no JavaScript."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from appeals.models import Appeal, AppealStatus
from appeals.roles import Role
from appeals.services.appeals import appeal_request_information
from appeals.services.assignment import appeal_claim
from tests.browser.conftest import AxeChecker
from tests.browser.helpers import sign_up_by_code
from tests.factories import MINIMAL_PDF, chirp, germany, known_takedown

pytestmark = pytest.mark.django_db(transaction=True)


def _continue(page: Any) -> None:
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_contest_two_takedowns_answer_a_question_and_withdraw(
    page: Any, axe: AxeChecker, make_user: Any
) -> None:
    germany()
    known_takedown("SOR-7777")
    reviewer = make_user("reviewer@example.org", roles=(Role.REVIEWER,), mfa=True)
    told_on = (timezone.localdate() - timedelta(days=2)).isoformat()

    page.goto("/")
    sign_up_by_code(page, axe, "alex@example.org")

    # 1. A takedown the platform reported: the details are filled in for us.
    page.get_by_role("link", name="Contest a takedown").first.click()
    axe.check(page)
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("heading", name="Which decision do you want to contest?").wait_for()
    axe.check(page)
    page.get_by_label("Which platform made the decision?").select_option(label="Chirp")
    page.get_by_label(re.compile("The platform’s reference")).fill("SOR-7777")
    page.get_by_label("Which country do you live in?").select_option(label="Germany")
    _continue(page)

    page.get_by_role("heading", name="We found the platform’s decision").wait_for()
    axe.check(page)
    page.get_by_label("When did the platform tell you about its decision?").fill(told_on)
    _continue(page)

    page.get_by_role("heading", name="Why was the decision wrong?").wait_for()
    _continue(page)  # nothing filled in: errors, and nothing lost
    page.get_by_role("heading", name="There is a problem").wait_for()
    axe.check(page)
    page.get_by_label("Why do you think the decision was wrong?").fill(
        "My post reported what the minister said. It was news, not hate."
    )
    page.get_by_label("Put my content back").check()
    _continue(page)

    page.get_by_role("heading", name="Do you have anything that supports your appeal?").wait_for()
    axe.check(page)
    page.get_by_label("Add files").set_input_files(
        {"name": "screenshot.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
    )
    _continue(page)

    page.get_by_role("heading", name="Check your answers before sending your appeal").wait_for()
    axe.check(page)
    assert page.get_by_text("screenshot.pdf").is_visible()
    page.get_by_label(re.compile("I confirm that what I have told you is true")).check()
    page.get_by_role("button", name="Send my appeal").click()

    page.get_by_role("heading", name="Appeal sent").wait_for()
    axe.check(page)
    first = Appeal.objects.get(appellant__email="alex@example.org")
    assert page.get_by_text(first.reference).is_visible()

    # 2. A takedown we know nothing about: the person describes it.
    page.get_by_role("link", name="My cases").first.click()
    page.get_by_role("heading", name="My cases").wait_for()
    axe.check(page)
    assert page.get_by_role("link", name=first.reference).is_visible()
    page.get_by_role("button", name="Contest a takedown").click()
    page.get_by_label("Which platform made the decision?").select_option(label="Chirp")
    page.get_by_label("Which country do you live in?").select_option(label="Germany")
    _continue(page)
    page.get_by_role("heading", name="Tell us about the decision").wait_for()
    axe.check(page)
    page.get_by_label("Your account was suspended").check()
    page.get_by_label("When did the platform tell you about its decision?").fill(told_on)
    _continue(page)
    page.get_by_label("Why do you think the decision was wrong?").fill("I never broke any rule.")
    page.get_by_label("Give me my account back").check()
    _continue(page)
    _continue(page)  # no files
    page.get_by_label(re.compile("I confirm that what I have told you is true")).check()
    page.get_by_role("button", name="Send my appeal").click()
    page.get_by_role("heading", name="Appeal sent").wait_for()
    second = Appeal.objects.exclude(pk=first.pk).get(appellant__email="alex@example.org")

    # 3. The reviewer asks a question; the person answers it on the case page.
    appeal_claim(appeal=first, reviewer=reviewer)
    appeal_request_information(appeal=first, reviewer=reviewer, question="Which minister?")
    page.goto(f"/cases/{first.reference}/")
    page.get_by_role("heading", name="We need your answer").wait_for()
    axe.check(page)
    page.get_by_label("Your message").fill("The minister of the interior.")
    page.get_by_role("button", name="Send message").click()
    page.get_by_text("Your message was sent.").wait_for()
    axe.check(page)
    first.refresh_from_db()
    assert first.status == AppealStatus.UNDER_REVIEW
    assert page.get_by_text("A reviewer is looking at your appeal.").is_visible()

    # 4. Withdraw the second appeal, after a confirmation page.
    page.goto(f"/cases/{second.reference}/")
    page.get_by_role("link", name="Withdraw this appeal").click()
    page.get_by_role("heading", name=re.compile("Are you sure")).wait_for()
    axe.check(page)
    page.get_by_role("button", name="Yes, withdraw my appeal").click()
    page.get_by_text("Your appeal was withdrawn.").wait_for()
    axe.check(page)
    second.refresh_from_db()
    assert second.status == AppealStatus.WITHDRAWN


def test_the_filing_journey_works_without_javascript(
    chromium_browser: Any, live_server: Any, make_user: Any
) -> None:
    from django.test import Client

    germany()
    chirp()
    user = make_user("nojs@example.org")
    session = Client()
    session.force_login(user)
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    cookie = session.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.goto("/contest/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Which platform made the decision?").select_option(label="Chirp")
    page.get_by_label("Which country do you live in?").select_option(label="Germany")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("The content was removed").check()
    page.get_by_label("When did the platform tell you about its decision?").fill(
        (timezone.localdate() - timedelta(days=1)).isoformat()
    )
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Why do you think the decision was wrong?").fill("No JavaScript needed.")
    page.get_by_label("Put my content back").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(re.compile("I confirm")).check()
    page.get_by_role("button", name="Send my appeal").click()
    page.get_by_role("heading", name="Appeal sent").wait_for()
    context.close()
    assert Appeal.objects.filter(appellant=user).count() == 1
