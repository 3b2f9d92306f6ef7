from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from appeals.models import (
    AppealStatus,
    AuditAction,
    AuditEvent,
    ContentLocation,
    Escalation,
    EvidenceFile,
    Gravity,
    HarmReport,
    Membership,
    Organisation,
    Platform,
    ReferralStatus,
    Sanction,
    TrustedFlaggerDesignation,
    User,
)
from appeals.selectors.reports import report_by_link, report_by_pin
from appeals.services.appeals import AppealRefused
from appeals.services.deadlines import deadlines_sweep
from appeals.services.misuse import misuse_mark
from appeals.services.organisations import memberships_activate
from appeals.services.reports import (
    Location,
    ReportRefused,
    ReportSubmission,
    referral_contest,
    referral_update,
    report_file,
)
from tests.conftest import sign_in
from tests.factories import chirp, file_appeal, jurisdiction, pdf_upload

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def platforms() -> tuple[Platform, Platform]:
    return chirp(), Platform.objects.get_or_create(
        slug="picturebook", defaults={"name": "Picturebook"}
    )[0]


def organisation(name: str = "Safe Online", verified: bool = True) -> Organisation:
    org = Organisation.objects.create(
        name=name,
        country=jurisdiction("DE"),
        verified_at=MONDAY if verified else None,
    )
    return org


def join(user: User, org: Organisation, role: str = "member") -> Membership:
    return Membership.objects.create(
        organisation=org, user=user, email=user.email, role=role, joined_at=MONDAY
    )


def submission(platforms: tuple[Platform, Platform], **overrides: object) -> ReportSubmission:
    chirp_, picturebook = platforms
    values: dict[str, object] = {
        "categories": ["intimate_images"],
        "explanation": "Intimate images of our client, shared by a former partner.",
        "locations": [
            Location(url="https://chirp.example/p/1", platform=chirp_, sha256="a" * 64),
            Location(url="https://picturebook.example/i/2", platform=picturebook),
        ],
        "jurisdictions": [jurisdiction("DE"), jurisdiction("FR"), jurisdiction("IE")],
        "victim_reference": "Client 14",
        "consent_given_by": "victim",
        "consent_scope": "Reporting these addresses to the platforms and the police.",
        "requested_actions": ["removal", "preservation"],
        "good_faith": True,
    }
    values.update(overrides)
    return ReportSubmission(**values)  # type: ignore[arg-type]


def test_a_report_fans_out_into_one_referral_per_platform_and_jurisdiction(
    make_user: Callable[..., User], platforms: tuple[Platform, Platform]
) -> None:
    advocate = make_user("advocate@safe.example")
    org = organisation()
    join(advocate, org)
    filed = report_file(
        submission=submission(platforms), filed_by=advocate, organisation=org, now=MONDAY
    )
    pairs = set(filed.report.referrals.values_list("platform__slug", "jurisdiction__code"))
    assert pairs == {(p, j) for p in ("chirp", "picturebook") for j in ("DE", "FR", "IE")}
    # Intimate images: 48 hours, whatever the jurisdiction.
    assert set(filed.report.referrals.values_list("due_at", flat=True)) == {
        MONDAY + timedelta(hours=48)
    }
    assert filed.pin is None and filed.link_token is None
    assert AuditEvent.objects.filter(
        harm_report=filed.report, action=AuditAction.REPORT_FILED
    ).exists()


def test_a_url_already_under_an_open_referral_is_linked_not_sent_again(
    make_user: Callable[..., User], platforms: tuple[Platform, Platform]
) -> None:
    advocate = make_user("advocate@safe.example")
    first = report_file(submission=submission(platforms), filed_by=advocate, now=MONDAY).report
    again = report_file(
        submission=submission(
            platforms,
            locations=[Location(url="https://chirp.example/p/1", platform=platforms[0])],
        ),
        filed_by=advocate,
        now=MONDAY,
    ).report
    assert again.referrals.count() == 0
    location = ContentLocation.objects.get(report=again)
    assert location.linked_referral.report == first


def test_trusted_flaggers_get_the_priority_deadline_where_they_are_designated(
    make_user: Callable[..., User], platforms: tuple[Platform, Platform]
) -> None:
    advocate = make_user("flagger@safe.example")
    org = organisation()
    join(advocate, org)
    TrustedFlaggerDesignation.objects.create(
        organisation=org,
        jurisdiction=jurisdiction("DE"),
        expertise="Hate",
        valid_from=date(2026, 1, 1),
    )
    filed = report_file(
        submission=submission(platforms, categories=["hate"]),
        filed_by=advocate,
        organisation=org,
        now=MONDAY,
    ).report
    due = dict(
        filed.referrals.filter(platform__slug="chirp").values_list("jurisdiction__code", "due_at")
    )
    # Priority in DE: 2 business days (end of Wednesday, Berlin); elsewhere 7 calendar days.
    assert due["DE"] == datetime(2026, 11, 4, 22, 59, 59, 999999, tzinfo=UTC)
    assert due["FR"] == datetime(2026, 11, 9, 22, 59, 59, 999999, tzinfo=UTC)
    assert filed.trusted_flagger


def test_consent_and_good_faith_are_required(
    make_user: Callable[..., User], platforms: tuple[Platform, Platform]
) -> None:
    advocate = make_user()
    with pytest.raises(ReportRefused, match="consent"):
        report_file(submission=submission(platforms, consent_scope=" "), filed_by=advocate)
    with pytest.raises(ReportRefused, match="accurate"):
        report_file(submission=submission(platforms, good_faith=False), filed_by=advocate)
    assert not HarmReport.objects.exists()


def test_an_anonymous_child_abuse_report_needs_no_name_and_gets_a_pin_and_a_link(
    platforms: tuple[Platform, Platform],
) -> None:
    filed = report_file(
        submission=submission(platforms, categories=["child_sexual_abuse"]), filed_by=None
    )
    assert filed.pin and filed.link_token
    assert report_by_pin(filed.report.reference, filed.pin) == filed.report
    assert report_by_pin(filed.report.reference, "00000000") is None
    assert report_by_link(filed.link_token) == filed.report
    with pytest.raises(ReportRefused, match="name and email"):
        report_file(submission=submission(platforms, categories=["doxxing"]), filed_by=None)


def test_a_revoked_or_expired_link_stops_working(platforms: tuple[Platform, Platform]) -> None:
    filed = report_file(
        submission=submission(platforms, categories=["child_sexual_abuse"]), filed_by=None
    )
    assert report_by_link(filed.link_token, now=filed.report.filed_at + timedelta(days=91)) is None
    client = Client()
    client.get(reverse("report_track_link", args=[filed.link_token]))
    client.post(reverse("report_revoke_link", args=[filed.report.reference]))
    assert report_by_link(filed.link_token) is None
    assert Client().get(reverse("report_track_link", args=[filed.link_token])).status_code == 404


def test_a_threat_to_life_is_escalated_at_once(
    make_user: Callable[..., User], platforms: tuple[Platform, Platform]
) -> None:
    report = report_file(
        submission=submission(platforms, threat_to_life=True), filed_by=make_user()
    ).report
    assert Escalation.objects.filter(report=report, kind="threat_to_life").count() == 1
    assert AuditEvent.objects.filter(
        harm_report=report, action=AuditAction.REPORT_THREAT_ESCALATED
    ).exists()


def test_a_hand_made_post_with_an_image_for_intimate_images_is_refused_and_nothing_is_stored(
    platforms: tuple[Platform, Platform],
) -> None:
    image = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff" + b"\x00" * 500, "image/jpeg")
    data = {
        "categories": ["intimate_images"],
        "explanation": "x",
        "jurisdictions": [jurisdiction("DE").pk],
        "requested_actions": ["removal"],
        "victim_reference": "V",
        "consent_given_by": "victim",
        "consent_scope": "Reporting",
        "reporter_name": "A",
        "reporter_email": "a@example.org",
        "good_faith": "on",
        "loc-TOTAL_FORMS": "1",
        "loc-INITIAL_FORMS": "0",
        "loc-0-url": "https://chirp.example/p/1",
        "loc-0-platform": "chirp",
        "attachments": [image],
    }
    response = Client().post(reverse("report_new"), data)
    assert response.status_code == 400
    assert "we never accept files" in response.content.decode()
    assert not HarmReport.objects.exists() and not EvidenceFile.objects.exists()
    with pytest.raises(ReportRefused, match="never accept files"):
        report_file(submission=submission(platforms, files=[pdf_upload()]), filed_by=None)


def test_other_evidence_is_kept_privately_for_other_categories(
    make_user: Callable[..., User], platforms: tuple[Platform, Platform]
) -> None:
    report = report_file(
        submission=submission(platforms, categories=["doxxing"], files=[pdf_upload()]),
        filed_by=make_user(),
    ).report
    assert EvidenceFile.objects.get(harm_report=report).sha256


def test_members_of_another_organisation_get_404(
    make_user: Callable[..., User], platforms: tuple[Platform, Platform]
) -> None:
    a, b = make_user("a@org-a.example"), make_user("b@org-b.example")
    org_a, org_b = organisation("A"), organisation("B")
    join(a, org_a)
    join(b, org_b)
    report = report_file(submission=submission(platforms), filed_by=a, organisation=org_a).report
    referral = report.referrals.first()
    own = sign_in(Client(), a)
    assert own.get(reverse("advocate_report", args=[report.reference])).status_code == 200
    assert report.reference in own.get(reverse("advocate_dashboard")).content.decode()
    other = sign_in(Client(), b)
    for url in (
        reverse("advocate_report", args=[report.reference]),
        reverse("advocate_export", args=[org_a.pk]),
        reverse("advocate_members", args=[org_a.pk]),
        reverse("report_status", args=[report.reference]),
    ):
        assert other.get(url).status_code == 404, url
    assert (
        other.post(
            reverse("advocate_contest", args=[report.reference, referral.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    assert report.reference not in other.get(reverse("advocate_dashboard")).content.decode()


def test_the_csv_export_holds_the_organisations_referrals(
    make_user: Callable[..., User], platforms: tuple[Platform, Platform]
) -> None:
    a = make_user("a@org-a.example")
    org = organisation()
    join(a, org)
    report_file(submission=submission(platforms), filed_by=a, organisation=org)
    response = sign_in(Client(), a).get(reverse("advocate_export", args=[org.pk]))
    body = b"".join(response.streaming_content).decode()
    assert body.count("\n") == 1 + 6 and "Client 14" in body


def test_a_refused_referral_can_be_contested_which_opens_a_case(
    make_user: Callable[..., User], reviewer: User, platforms: tuple[Platform, Platform]
) -> None:
    advocate = make_user("advocate@safe.example")
    report = report_file(
        submission=submission(platforms, categories=["hate"]), filed_by=advocate
    ).report
    referral = report.referrals.get(platform__slug="chirp", jurisdiction__code="DE")
    referral_update(referral=referral, status=ReferralStatus.SENT, outcome="", by=reviewer)
    referral_update(
        referral=referral, status=ReferralStatus.REFUSED, outcome="Not illegal.", by=reviewer
    )
    referral_contest(referral=referral, by=advocate, reason="It incites violence.")
    referral.refresh_from_db()
    appeal = referral.contested_appeal
    assert appeal is not None and appeal.status == AppealStatus.SUBMITTED
    assert appeal.appellant == advocate and appeal.grounds == "It incites violence."


def test_overdue_referrals_escalate_once(
    make_user: Callable[..., User], platforms: tuple[Platform, Platform]
) -> None:
    report = report_file(submission=submission(platforms), filed_by=make_user(), now=MONDAY).report
    later = MONDAY + timedelta(hours=49)
    assert deadlines_sweep(now=later).referrals_escalated == 6
    assert deadlines_sweep(now=later).referrals_escalated == 0
    assert set(report.referrals.values_list("status", flat=True)) == {"escalated"}


def test_misuse_gives_a_warning_then_a_suspension_that_refuses_new_filings(
    make_user: Callable[..., User],
    reviewer: User,
    platforms: tuple[Platform, Platform],
    settings: object,
) -> None:
    settings.MISUSE_WARN_AT = 2  # type: ignore[attr-defined]
    settings.MISUSE_SUSPEND_AT = 3  # type: ignore[attr-defined]
    person = make_user("noisy@example.org")
    appeals = [file_appeal(person) for _ in range(4)]
    misuse_mark(submitter=person, by=reviewer, gravity=Gravity.LOW, appeal=appeals[0])
    assert not Sanction.objects.exists()
    mark = misuse_mark(submitter=person, by=reviewer, gravity=Gravity.MEDIUM, appeal=appeals[1])
    assert mark.count_in_period == 2 and str(mark.share_of_submissions) == "0.5000"
    assert Sanction.objects.get().kind == Sanction.Kind.WARNING
    misuse_mark(
        submitter=person, by=reviewer, gravity=Gravity.HIGH, appeal=appeals[2], intent="Spam"
    )
    suspension = Sanction.objects.get(kind=Sanction.Kind.SUSPENSION)
    assert suspension.ends_at is not None
    with pytest.raises(AppealRefused, match="You cannot send new appeals or reports until"):
        file_appeal(person)
    with pytest.raises(ReportRefused, match="You cannot send new appeals or reports until"):
        report_file(submission=submission(platforms), filed_by=person)


def test_an_invitation_becomes_a_membership_when_that_address_signs_in(
    make_user: Callable[..., User],
) -> None:
    org = organisation()
    Membership.objects.create(organisation=org, email="new@safe.example", role="member")
    user = make_user("new@safe.example")
    assert memberships_activate(user=user) == 1
    assert Membership.objects.get(email="new@safe.example").user == user


def test_anonymous_reporters_file_through_the_page_and_follow_with_the_pin(
    platforms: tuple[Platform, Platform],
) -> None:
    client = Client()
    data = {
        "categories": ["child_sexual_abuse"],
        "explanation": "Abuse material.",
        "jurisdictions": [jurisdiction("DE").pk, jurisdiction("FR").pk],
        "requested_actions": ["removal", "preservation"],
        "victim_reference": "Unknown child",
        "consent_given_by": "advocate",
        "consent_scope": "Reporting to platforms and police.",
        "good_faith": "on",
        "loc-TOTAL_FORMS": "2",
        "loc-INITIAL_FORMS": "0",
        "loc-0-url": "https://chirp.example/p/9",
        "loc-0-platform": "chirp",
        "loc-0-sha256": "b" * 64,
        "loc-1-url": "",
    }
    response = client.post(reverse("report_new"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(reverse("report_received")).content.decode()
    report = HarmReport.objects.get()
    assert report.reference in page and "Your PIN" in page
    assert report.referrals.count() == 2
    pin = page.split('class="reference">')[2].split("<")[0]
    fresh = Client()
    assert fresh.get(reverse("report_status", args=[report.reference])).status_code == 404
    fresh.post(reverse("report_track"), {"reference": report.reference, "pin": pin})
    assert fresh.get(reverse("report_status", args=[report.reference])).status_code == 200
    assert Client().get(reverse("report_received")).status_code == 302  # shown once


def test_staff_record_what_the_platform_did(
    make_user: Callable[..., User], reviewer: User, platforms: tuple[Platform, Platform]
) -> None:
    report = report_file(submission=submission(platforms), filed_by=make_user()).report
    referral = report.referrals.first()
    client = sign_in(Client(), reviewer, with_mfa=True)
    assert report.reference in client.get(reverse("staff_referrals")).content.decode()
    client.post(
        reverse("staff_update_referral", args=[report.reference, referral.pk]),
        {f"{referral.pk}-status": "sent", f"{referral.pk}-outcome": "Sent by API"},
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert (
        sign_in(Client(), make_user())
        .get(reverse("staff_report", args=[report.reference]))
        .status_code
        == 404
    )


def test_a_mandated_body_appeals_for_a_user_with_priority(
    make_user: Callable[..., User],
) -> None:
    from appeals.models import Mandate, Priority
    from appeals.services.appeals import AppealRefused

    org = organisation()
    Organisation.objects.filter(pk=org.pk).update(is_mandated_body=True)
    org.refresh_from_db()
    advocate = make_user("legal@safe.example")
    join(advocate, org)
    principal = make_user("user@example.org")
    mandate = Mandate.objects.create(
        organisation=org, principal=principal, scope="Appeal the removal", recorded_by=advocate
    )
    appeal = file_appeal(advocate, mandate=mandate)
    assert appeal.priority == Priority.PRIORITY and appeal.priority_rank == 0
    outsider = make_user("outsider@example.org")
    with pytest.raises(AppealRefused, match="mandate"):
        file_appeal(outsider, mandate=mandate)
