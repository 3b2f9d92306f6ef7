"""Staff scope (issue 18, finding 10): referral changes stay within the reviewer's
jurisdictions; staff never see their own cases in any list; an auditor does not read
the trail of their own cases. The rules live in appeals/permissions.py."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appeals.models import (
    AuditAction,
    AuditEvent,
    Escalation,
    Platform,
    Referral,
    ReferralStatus,
    User,
)
from appeals.roles import Role
from appeals.services.audit import audit_record
from appeals.services.reports import ReportRefused, referral_contest, referral_update, report_file
from tests.conftest import sign_in
from tests.factories import claimed_appeal, file_appeal
from tests.test_reports import join, organisation, platforms, submission

__all__ = ["platforms"]  # the fixture, imported for the reports

pytestmark = pytest.mark.django_db


def _staff(make_user: Callable[..., User], email: str, *roles: Role, **kwargs: object) -> User:
    return make_user(email, roles=roles, mfa=True, **kwargs)


def _client(user: User) -> Client:
    return sign_in(Client(), user, with_mfa=True)


# --- Referrals of other jurisdictions ----------------------------------------------


@pytest.fixture
def two_country_report(
    make_user: Callable[..., User], platforms: tuple[Platform, Platform]
) -> tuple[Referral, Referral]:
    advocate = make_user("advocate@safe.example")
    report = report_file(
        submission=submission(platforms, categories=["hate"]), filed_by=advocate
    ).report
    de = report.referrals.select_related("report").get(
        platform__slug="chirp", jurisdiction__code="DE"
    )
    fr = report.referrals.select_related("report").get(
        platform__slug="chirp", jurisdiction__code="FR"
    )
    return de, fr


def test_a_reviewer_of_germany_cannot_change_the_french_referral_of_a_report_naming_both(
    make_user: Callable[..., User], two_country_report: tuple[Referral, Referral]
) -> None:
    de, fr = two_country_report
    reviewer_de = _staff(make_user, "rev-de@example.org", Role.REVIEWER)
    client = _client(reviewer_de)
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("staff_update_referral", args=[fr.report.reference, fr.pk]),
        {f"{fr.pk}-status": "sent", f"{fr.pk}-outcome": ""},
    )
    assert response.status_code == 404
    assert Referral.objects.get(pk=fr.pk).status == ReferralStatus.QUEUED
    assert AuditEvent.objects.count() == events
    with pytest.raises(ReportRefused):
        referral_update(referral=fr, status=ReferralStatus.SENT, outcome="", by=reviewer_de)
    assert Referral.objects.get(pk=fr.pk).status == ReferralStatus.QUEUED
    # Their own country's referral they can change, and the page offers only that one.
    client.post(
        reverse("staff_update_referral", args=[de.report.reference, de.pk]),
        {f"{de.pk}-status": "sent", f"{de.pk}-outcome": ""},
    )
    assert Referral.objects.get(pk=de.pk).status == ReferralStatus.SENT
    page = client.get(reverse("staff_report", args=[de.report.reference])).content.decode()
    assert reverse("staff_update_referral", args=[de.report.reference, de.pk]) in page
    assert reverse("staff_update_referral", args=[fr.report.reference, fr.pk]) not in page


def test_a_supervisor_changes_a_referral_of_any_jurisdiction(
    make_user: Callable[..., User], two_country_report: tuple[Referral, Referral]
) -> None:
    _de, fr = two_country_report
    supervisor = _staff(make_user, "sup@example.org", Role.SUPERVISOR)
    _client(supervisor).post(
        reverse("staff_update_referral", args=[fr.report.reference, fr.pk]),
        {f"{fr.pk}-status": "sent", f"{fr.pk}-outcome": ""},
    )
    assert Referral.objects.get(pk=fr.pk).status == ReferralStatus.SENT


def test_only_the_reporter_or_their_organisation_can_contest_a_refusal(
    make_user: Callable[..., User], platforms: tuple[Platform, Platform]
) -> None:
    advocate, colleague, stranger = (
        make_user("a@org.example"),
        make_user("b@org.example"),
        make_user("c@elsewhere.example"),
    )
    org = organisation()
    join(advocate, org)
    join(colleague, org)
    reviewer = _staff(make_user, "rev@example.org", Role.REVIEWER)
    report = report_file(
        submission=submission(platforms, categories=["hate"]), filed_by=advocate, organisation=org
    ).report
    referral = report.referrals.select_related("report").get(
        platform__slug="chirp", jurisdiction__code="DE"
    )
    referral_update(referral=referral, status=ReferralStatus.SENT, outcome="", by=reviewer)
    referral_update(referral=referral, status=ReferralStatus.REFUSED, outcome="No.", by=reviewer)
    with pytest.raises(ReportRefused):
        referral_contest(referral=referral, by=stranger, reason="It is illegal.")
    referral_contest(referral=referral, by=colleague, reason="It is illegal.")
    assert Referral.objects.get(pk=referral.pk).contested_appeal is not None


# --- Own cases in lists ------------------------------------------------------------


def test_a_reviewers_own_appeal_is_not_in_their_queue(make_user: Callable[..., User]) -> None:
    reviewer = _staff(make_user, "rev-own@example.org", Role.REVIEWER)
    colleague = _staff(make_user, "rev-colleague@example.org", Role.REVIEWER)
    own = claimed_appeal(reviewer, colleague)
    other = file_appeal(make_user("someone@example.org"))
    page = _client(reviewer).get(reverse("review_queue")).content.decode()
    assert own.reference not in page and colleague.email not in page
    assert other.reference in page
    assert own.reference in _client(colleague).get(reverse("review_queue")).content.decode()


def test_a_supervisors_own_appeal_is_not_in_the_overview_nor_in_related_cases(
    make_user: Callable[..., User],
) -> None:
    supervisor = _staff(make_user, "sup-own@example.org", Role.SUPERVISOR)
    other_supervisor = _staff(make_user, "sup-other@example.org", Role.SUPERVISOR)
    own = file_appeal(supervisor)
    # Someone else's appeal about the same content: a related case on its page.
    other = file_appeal(make_user("someone@example.org"))
    client = _client(supervisor)
    assert own.reference not in client.get(reverse("supervisor_overview")).content.decode()
    case_page = client.get(reverse("review_case", args=[other.reference])).content.decode()
    assert own.reference not in case_page
    assert (
        own.reference
        in _client(other_supervisor).get(reverse("supervisor_overview")).content.decode()
    )


def test_an_escalation_of_a_supervisors_own_case_is_not_in_their_deadlines(
    make_user: Callable[..., User],
) -> None:
    supervisor = _staff(make_user, "sup-own@example.org", Role.SUPERVISOR)
    other_supervisor = _staff(make_user, "sup-other@example.org", Role.SUPERVISOR)
    own = file_appeal(supervisor)
    Escalation.objects.create(
        kind="appeal_overdue", appeal=own, due_at=timezone.now(), created_at=timezone.now()
    )
    mine = _client(supervisor).get(reverse("supervisor_deadlines")).content.decode()
    theirs = _client(other_supervisor).get(reverse("supervisor_deadlines")).content.decode()
    assert own.reference not in mine and own.reference in theirs


def test_a_reviewers_own_harm_report_is_not_in_the_referral_list_nor_open_to_them(
    make_user: Callable[..., User], platforms: tuple[Platform, Platform]
) -> None:
    reviewer = _staff(make_user, "rev-own@example.org", Role.REVIEWER)
    colleague = _staff(make_user, "rev-colleague@example.org", Role.REVIEWER)
    report = report_file(
        submission=submission(platforms, categories=["hate"]), filed_by=reviewer
    ).report
    client = _client(reviewer)
    assert report.reference not in client.get(reverse("staff_referrals")).content.decode()
    assert client.get(reverse("staff_report", args=[report.reference])).status_code == 404
    referral = report.referrals.select_related("report").get(
        platform__slug="chirp", jurisdiction__code="DE"
    )
    with pytest.raises(ReportRefused):
        referral_update(referral=referral, status=ReferralStatus.SENT, outcome="", by=reviewer)
    assert report.reference in _client(colleague).get(reverse("staff_referrals")).content.decode()


# --- An auditor's own case -----------------------------------------------------------


def test_an_auditor_does_not_read_the_trail_of_their_own_appeal(
    make_user: Callable[..., User], reviewer: User
) -> None:
    auditor = _staff(make_user, "aud-own@example.org", Role.AUDITOR)
    other_auditor = _staff(make_user, "aud-other@example.org", Role.AUDITOR)
    own = claimed_appeal(auditor, reviewer)
    audit_record(
        action=AuditAction.APPEAL_EVIDENCE_OPENED,
        actor=reviewer,
        target=own,
        details={"file": "staff-only"},
    )
    unrelated = audit_record(action=AuditAction.ACCOUNT_SIGNED_UP, actor=make_user())
    own_events = set(AuditEvent.objects.filter(appeal=own).values_list("id", flat=True))
    assert len(own_events) >= 3

    client = _client(auditor)
    shown = {e.id for e in client.get(reverse("audit_trail")).context["events"]}
    assert not shown & own_events and unrelated.id in shown
    by_reference = client.get(reverse("audit_trail"), {"reference": own.reference})
    assert by_reference.context["events"] == []
    export = client.get(reverse("audit_export"))
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    exported = {int(row[0]) for row in rows[1:]}
    assert not exported & own_events and unrelated.id in exported

    theirs = {e.id for e in _client(other_auditor).get(reverse("audit_trail")).context["events"]}
    assert own_events <= theirs


def test_a_liaisons_own_appeal_leaves_its_orders_out_of_their_list_and_pages(
    make_user: Callable[..., User], reviewer: User
) -> None:
    from appeals.models import LiaisonProfile, Retraction
    from appeals.services.decisions import appeal_decide
    from tests.factories import chirp, decision_input

    liaison = _staff(make_user, "liaison@chirp.example", Role.PLATFORM_LIAISON)
    colleague = _staff(make_user, "liaison2@chirp.example", Role.PLATFORM_LIAISON)
    for user in (liaison, colleague):
        LiaisonProfile.objects.create(user=user).platforms.add(chirp())
    own = claimed_appeal(liaison, reviewer)
    appeal_decide(appeal=own, reviewer=reviewer, decision=decision_input())
    order = Retraction.objects.get(appeal=own)
    client = _client(liaison)
    assert own.reference not in client.get(reverse("liaison_orders")).content.decode()
    assert client.get(reverse("liaison_order", args=[order.pk])).status_code == 404
    assert (
        client.post(reverse("liaison_dispute", args=[order.pk]), {"reason": "x"}).status_code == 404
    )
    assert own.reference in _client(colleague).get(reverse("liaison_orders")).content.decode()
