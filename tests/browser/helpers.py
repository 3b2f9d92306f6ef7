"""Steps shared by browser journeys."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail

from tests.browser.conftest import AxeChecker

CODE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", re.MULTILINE)


def last_emailed_code() -> str:
    body = mail.outbox[-1].body
    match = CODE.search(body)
    assert match, body
    return match.group(1)


def sign_up_by_code(page: Any, axe: AxeChecker, email: str) -> None:
    """From any page: create an account with only an email address and a code."""
    page.get_by_role("link", name="Sign in").first.click()
    page.wait_for_url(re.compile("/accounts/login/"))
    axe.check(page)
    page.get_by_role("link", name=re.compile("sign up", re.I)).click()
    page.wait_for_url(re.compile("/accounts/signup/"))
    axe.check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name=re.compile("sign up", re.I)).click()
    page.wait_for_url(re.compile("/accounts/confirm-email/"))
    axe.check(page)
    page.get_by_label("Code").fill(last_emailed_code())
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()
    page.get_by_role("link", name="Sign out").wait_for()


def sign_in_with_password_and_authenticator(
    page: Any, axe: AxeChecker, email: str, password: str
) -> None:
    """A staff member signs in: password, then the code from their authenticator app."""
    from appeals.demo.accounts import demo_totp_code

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile("/accounts/2fa/authenticate/"))
    axe.check(page)
    page.get_by_label("Code").fill(demo_totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Sign out").wait_for()
