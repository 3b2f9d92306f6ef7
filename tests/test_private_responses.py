"""Personal pages say ``Cache-Control: private, no-store`` (issue 18, finding 11):
no shared proxy and no browser disk keeps a copy of a case, a queue, a victim's
status page or an export. Public pages seen by an anonymous visitor, and static
files, keep their caching."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from appeals.models import HarmReport
from appeals.selectors.reports import FOLLOW_VIA_PIN, report_follow_grant
from portal.middleware import PUBLIC_PAGES
from tests.test_census import ROLES, RULES, _client, world  # noqa: F401  (world: a fixture)

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


def _victim_session(world: dict[str, Any]) -> Client:  # noqa: F811
    """An anonymous victim who followed their report with its case number and PIN."""
    client = Client()
    report = HarmReport.objects.get(reference=world["args"]["report_status"][0])
    if not report.pin_hash:  # the census world's report was filed by an advocate
        report.pin_hash = make_password("4711-0815")
        report.save(update_fields=["pin_hash"])
    session = client.session
    session["tracked_reports"] = {str(report.pk): report_follow_grant(report, via=FOLLOW_VIA_PIN)}
    session.save()
    return client


# The kinds of page the probe found without the header, and their neighbours.
PERSONAL_PAGES = [
    ("appellant_a", "my_cases"),
    ("appellant_a", "appeal_detail"),
    ("appellant_a", "filing_takedown"),
    ("appellant_a", "evidence_download"),
    ("appellant_a", "my_data"),
    ("appellant_a", "account_email"),
    ("victim", "report_status"),
    ("advocate_a", "advocate_dashboard"),
    ("advocate_a", "advocate_report"),
    ("advocate_a", "advocate_export"),
    ("reviewer_de", "review_queue"),
    ("reviewer_de", "review_case"),
    ("reviewer_de", "staff_referrals"),
    ("reviewer_de", "staff_report"),
    ("supervisor", "supervisor_overview"),
    ("auditor", "audit_trail"),
    ("auditor", "audit_export"),
    ("liaison", "liaison_orders"),
]


@pytest.mark.parametrize(("role", "name"), PERSONAL_PAGES)
def test_each_kind_of_personal_page_forbids_caching(
    world: dict[str, Any],  # noqa: F811
    role: str,
    name: str,
) -> None:
    client = _victim_session(world) if role == "victim" else _client(world, role)
    response = client.get(reverse(name, args=world["args"].get(name, [])))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_the_victims_receipt_with_its_pin_forbids_caching(
    world: dict[str, Any],  # noqa: F811
) -> None:
    client = Client()
    session = client.session
    session["report_receipt"] = {
        "reference": world["args"]["report_status"][0],
        "pin": "123456",
        "token": "",
    }
    session.save()
    response = client.get(reverse("report_received"))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_the_api_forbids_caching_even_when_it_refuses(client: Client) -> None:
    response = client.get(reverse("api_appeals"))
    assert response.status_code == 401
    assert response["Cache-Control"] == PRIVATE


@pytest.mark.parametrize("role", ROLES)
def test_census_every_page_is_private_unless_public_and_anonymous(
    world: dict[str, Any],  # noqa: F811
    role: str,
) -> None:
    client = _client(world, role)
    problems = []
    for name in sorted(RULES):
        response = client.get(reverse(name, args=world["args"].get(name, [])))
        cache_control = response.get("Cache-Control", "")
        if role == "anonymous" and name in PUBLIC_PAGES:
            if "no-store" in cache_control:
                problems.append(f"{name}: a public page may be cached ({cache_control})")
        elif cache_control != PRIVATE:
            problems.append(f"GET {name} as {role}: {response.status_code} {cache_control!r}")
    assert not problems, "\n".join(problems)


def test_public_pages_become_private_once_the_visitor_follows_a_report(
    world: dict[str, Any],  # noqa: F811
) -> None:
    assert _victim_session(world).get(reverse("home"))["Cache-Control"] == PRIVATE


def test_a_form_sent_back_with_errors_is_private(client: Client) -> None:
    response = client.post(reverse("report_new"), {"explanation": "what I typed"})
    assert response.status_code == 400
    assert response["Cache-Control"] == PRIVATE


def test_static_files_keep_their_own_caching_for_signed_in_people(
    world: dict[str, Any],  # noqa: F811
) -> None:
    response = _client(world, "reviewer_de").get("/static/css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
