"""Every page carries the security headers; the CSP allows no inline code."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["home", "contest_start", "report_new", "letter_verify", "account_login"]
)
def test_pages_carry_a_strict_content_security_policy_and_friends(
    client: Client, name: str
) -> None:
    response = client.get(reverse(name))
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_portals_own_pages_have_no_inline_script_or_style(client: Client) -> None:
    for name in ("home", "contest_start", "report_start", "report_new", "letter_verify"):
        html = client.get(reverse(name)).content.decode()
        assert "<script>" not in html and " style=" not in html and "<style" not in html, name
