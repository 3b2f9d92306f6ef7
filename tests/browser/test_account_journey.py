"""A newcomer signs up by emailed code, signs out, signs in again by code and
switches language; every page passes axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import AxeChecker
from tests.browser.helpers import last_emailed_code, sign_up_by_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_by_code_sign_in_again_and_switch_language(page: Any, axe: AxeChecker) -> None:
    page.goto("/")
    axe.check(page)
    sign_up_by_code(page, axe, "newcomer@example.org")
    axe.check(page)

    page.get_by_role("link", name="My cases").first.click()
    page.get_by_role("heading", name="My cases").wait_for()
    axe.check(page)

    page.get_by_role("link", name="Sign out").click()
    page.wait_for_url(re.compile("/accounts/logout/"))
    axe.check(page)
    page.get_by_role("button", name=re.compile("sign out", re.I)).click()
    page.get_by_role("link", name="Sign in").wait_for()

    # Back again, this time with a sign-in code instead of a password.
    page.goto("/cases/")
    page.wait_for_url(re.compile("/accounts/login/"))
    page.get_by_role("link", name=re.compile("sign-in code", re.I)).click()
    page.wait_for_url(re.compile("/accounts/login/code/"))
    axe.check(page)
    page.get_by_label("Email").fill("newcomer@example.org")
    page.get_by_role("button", name=re.compile("code", re.I)).click()
    page.wait_for_url(re.compile("/accounts/login/code/confirm/"))
    axe.check(page)
    page.get_by_label("Code").fill(last_emailed_code())
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="My cases").wait_for()

    page.get_by_role("button", name="Français").click()
    page.get_by_role("heading", name="Mes dossiers").wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    axe.check(page)

    page.get_by_role("button", name="Deutsch").click()
    page.wait_for_function("document.documentElement.lang === 'de'")
    axe.check(page)
    assert len(axe.pages_checked) >= 10
