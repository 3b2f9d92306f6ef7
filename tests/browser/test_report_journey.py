"""An advocate reports content on two platforms in three countries, with hashes, and
follows each referral; every page passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from appeals.models import HarmReport, Membership, Organisation
from tests.browser.conftest import AxeChecker
from tests.factories import chirp, jurisdiction

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_advocate_reports_across_borders_and_follows_each_referral(
    page: Any, axe: AxeChecker, make_user: Any
) -> None:
    from appeals.models import Platform

    chirp()
    Platform.objects.create(slug="picturebook", name="Picturebook")
    for code in ("DE", "FR", "IE"):
        jurisdiction(code)
    advocate = make_user("ava@safe.example")
    org = Organisation.objects.create(
        name="Safe Online", country=jurisdiction("DE"), verified_at=timezone.now()
    )
    Membership.objects.create(
        organisation=org,
        user=advocate,
        email=advocate.email,
        role="admin",
        joined_at=timezone.now(),
    )

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(advocate.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Organisation reports").click()
    page.get_by_role("heading", name="Your organisation’s reports").wait_for()
    axe.check(page)

    page.get_by_role("link", name="Report harmful content").first.click()
    page.get_by_role("heading", name="Report harmful content").wait_for()
    axe.check(page)
    page.get_by_label("Intimate images shared without consent").check()
    page.get_by_label("Why is it illegal or harmful?").fill("Shared by a former partner.")
    page.get_by_label("Web address").nth(0).fill("https://chirp.example/p/4711")
    page.get_by_label("Platform", exact=True).nth(0).select_option(label="Chirp")
    page.get_by_label("SHA-256 hash (if you have it)").nth(0).fill("9f" * 32)
    page.get_by_label("Web address").nth(1).fill("https://picturebook.example/i/88")
    page.get_by_label("Platform", exact=True).nth(1).select_option(label="Picturebook")
    page.get_by_label("Perceptual hash (if you have it)").nth(1).fill("f0e1d2c3b4a59687")
    for country in ("Germany", "France", "Ireland"):
        page.get_by_label(country).check()
    page.get_by_label("Remove the content").check()
    page.get_by_label("Keep a copy for the police").check()
    page.get_by_label("A name for the victim, to use in this report").fill("Client 14")
    page.get_by_label("The victim", exact=True).check()
    page.get_by_label("What did they agree to?").fill("Reporting to platforms and police.")
    page.get_by_label("Report for your organisation").select_option(label="Safe Online")
    page.get_by_label("I believe what I report is accurate and complete.").check()
    page.get_by_role("button", name="Send the report").click()

    page.get_by_role("heading", name="Report sent").wait_for()
    axe.check(page)
    report = HarmReport.objects.get()
    assert report.referrals.count() == 6  # 2 platforms × 3 jurisdictions

    page.get_by_role("link", name="Follow this report").click()
    page.get_by_role("heading", name=report.reference).wait_for()
    axe.check(page)
    assert page.get_by_role("row").count() == 1 + 6

    page.goto("/advocate/")
    page.get_by_role("link", name=report.reference).first.click()
    page.get_by_role("heading", name=report.reference).wait_for()
    axe.check(page)
    assert page.get_by_role("heading", level=3).count() == 6
