from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_the_home_page_offers_the_three_ways_in(client: Client) -> None:
    page = client.get(reverse("home")).content.decode()
    for name in ("contest_start", "report_start", "my_cases"):
        assert f'href="{reverse(name)}"' in page
    assert 'href="#main-content"' in page
    assert '<main id="main-content"' in page


def test_pages_load_nothing_from_other_hosts(client: Client) -> None:
    for name in (
        "home",
        "contest_start",
        "report_start",
        "letter_verify",
        "account_login",
        "account_signup",
    ):
        page = client.get(reverse(name)).content.decode()
        addresses = re.findall(r'(?:src|href|action)="([^"]*)"', page)
        assert addresses, name
        outside = [a for a in addresses if a.startswith(("http:", "https:", "//"))]
        assert outside == [], (name, outside)


def test_public_pages_refuse_a_post(client: Client) -> None:
    assert client.post(reverse("home")).status_code == 405


def test_choosing_french_shows_the_site_in_french(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in page
    assert "Contester" in page


def test_the_language_switcher_works_as_a_plain_form(client: Client) -> None:
    page = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("set_language")}" method="post"' in page
    for code in ("en", "fr", "de"):
        assert f'name="language" value="{code}"' in page


def test_an_unknown_page_gets_the_portal_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'class="skip-link"' in response.content.decode()


def test_the_500_page_renders_without_a_request_context() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "problem with the service" in response.content.decode()


def test_a_form_posted_without_its_csrf_token_gets_a_plain_explanation() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "de"})
    assert response.status_code == 403
    assert "session has expired" in response.content.decode()
