"""Regression tests for the review of the appeal and reviewer workflows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from appeals.models import (
    Appeal,
    AppealDraft,
    AppealStatus,
    AuditAction,
    AuditEvent,
    DecisionProposal,
    Jurisdiction,
    Platform,
    User,
)
from appeals.roles import Role
from appeals.services.appeals import (
    AppealRefused,
    appeal_message_post,
    appeal_request_information,
    appeal_withdraw,
)
from appeals.services.assignment import (
    AssignmentRefused,
    appeal_assign,
    appeal_claim,
    appeal_flag_for_second_review,
)
from appeals.services.decisions import appeal_decide
from appeals.services.evidence import evidence_add
from tests.conftest import sign_in
from tests.factories import (
    chirp,
    claimed_appeal,
    decision_input,
    file_appeal,
    germany,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(make_user: Callable[..., User]) -> User:
    return make_user("boss@example.org", roles=(Role.SUPERVISOR,), mfa=True)


def test_a_reviewer_never_sees_their_own_appeal_in_the_staff_pages(reviewer: User) -> None:
    own = file_appeal(reviewer)
    client = sign_in(Client(), reviewer, with_mfa=True)
    assert client.get(reverse("review_case", args=[own.reference])).status_code == 404


def test_a_conflicted_reviewer_is_kept_out_of_the_case(appellant: User, reviewer: User) -> None:
    from appeals.models import ConflictDeclaration

    appeal = file_appeal(appellant)
    ConflictDeclaration.objects.create(reviewer=reviewer, person=appellant)
    client = sign_in(Client(), reviewer, with_mfa=True)
    assert client.get(reverse("review_case", args=[appeal.reference])).status_code == 404


def test_a_supervisor_without_the_reviewer_role_is_not_offered_reviewer_buttons(
    appellant: User, reviewer: User, supervisor: User
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    appeal_decide(
        appeal=appeal,
        reviewer=reviewer,
        decision=decision_input(remedies_ordered=["compensation"]),
    )
    page = sign_in(Client(), supervisor, with_mfa=True).get(
        reverse("review_case", args=[appeal.reference])
    )
    html = page.content.decode()
    assert "Decision waiting for a second reviewer" in html
    assert "Approve this decision" not in html
    other = file_appeal(appellant)
    html = (
        sign_in(Client(), supervisor, with_mfa=True)
        .get(reverse("review_case", args=[other.reference]))
        .content.decode()
    )
    assert "Claim this case" not in html


def test_an_outdated_draft_is_asked_again_instead_of_failing(
    appellant: User,
) -> None:
    germany()
    chirp()
    client = sign_in(Client(), appellant)
    draft_id = client.post(reverse("filing_start")).url.split("/")[2]
    client.post(
        reverse("filing_takedown", args=[draft_id]),
        {"platform": "chirp", "platform_reference": "", "jurisdiction": "DE"},
    )
    Jurisdiction.objects.filter(code="DE").update(code="XD")
    response = client.get(reverse("filing_details", args=[draft_id]))
    assert response.status_code == 302
    assert response.url == reverse("filing_takedown", args=[draft_id])

    draft = AppealDraft.objects.get(pk=draft_id)
    draft.answers = {
        "takedown": {"platform": "gone", "platform_reference": "", "jurisdiction": "XD"},
        "details": {"informed_on": "2026-11-20", "measures": [], "takedown": ""},
        "grounds": {"grounds": "x", "remedies": ["reinstate_content"], "language": "en"},
    }
    draft.save()
    response = client.get(reverse("filing_check", args=[draft_id]))
    assert response.status_code == 302
    assert response.url == reverse("filing_takedown", args=[draft_id])
    Platform.objects.filter(slug="chirp").update(slug="chirp2")
    response = client.post(reverse("filing_check", args=[draft_id]), {"good_faith": "on"})
    assert response.status_code == 302
    assert not Appeal.objects.exists()


def test_an_answer_after_a_reassignment_returns_the_case_to_its_new_reviewer(
    appellant: User, reviewer: User, supervisor: User, make_user: Callable[..., User]
) -> None:
    other = make_user("other@example.org", roles=(Role.REVIEWER,), mfa=True)
    appeal = claimed_appeal(appellant, reviewer)
    appeal_request_information(appeal=appeal, reviewer=reviewer, question="When?")
    appeal_assign(appeal=appeal, reviewer=other, by=supervisor)
    appeal_message_post(appeal=appeal, author=appellant, body="Yesterday.")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UNDER_REVIEW and appeal.assigned_to == other


def test_questions_are_asked_only_while_a_case_is_under_review(
    appellant: User, supervisor: User
) -> None:
    appeal = file_appeal(appellant)
    with pytest.raises(AppealRefused):
        appeal_request_information(appeal=appeal, reviewer=supervisor, question="Why?")


def test_a_decided_case_cannot_be_flagged_or_take_messages(
    appellant: User, reviewer: User, supervisor: User
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    with pytest.raises(AssignmentRefused):
        appeal_flag_for_second_review(appeal=appeal, supervisor=supervisor, reason="Late")
    with pytest.raises(AppealRefused):
        appeal_message_post(appeal=appeal, author=appellant, body="One more thing")
    response = sign_in(Client(), supervisor, with_mfa=True).post(
        reverse("review_flag", args=[appeal.reference]), {"reason": "Late"}
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(
        action=AuditAction.APPEAL_FLAGGED_FOR_SECOND_REVIEW
    ).exists()


def test_withdrawing_cancels_a_decision_waiting_for_a_second_reviewer(
    appellant: User, reviewer: User
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    proposal = appeal_decide(
        appeal=appeal,
        reviewer=reviewer,
        decision=decision_input(remedies_ordered=["compensation"]),
    )
    assert isinstance(proposal, DecisionProposal)
    appeal_withdraw(appeal=appeal, by=appellant)
    proposal.refresh_from_db()
    assert proposal.state == DecisionProposal.State.CANCELLED


def test_automatic_assignment_never_takes_a_claimed_case(
    appellant: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    other = make_user("other@example.org", roles=(Role.REVIEWER,), mfa=True)
    appeal = file_appeal(appellant)
    appeal_claim(appeal=appeal, reviewer=reviewer)
    with pytest.raises(AssignmentRefused):
        appeal_assign(appeal=appeal, reviewer=other, by=None)
    appeal.refresh_from_db()
    assert appeal.assigned_to == reviewer


def test_a_head_request_does_not_count_as_opening_evidence(appellant: User, reviewer: User) -> None:
    appeal = file_appeal(appellant)
    evidence = evidence_add(upload=pdf_upload(), uploaded_by=appellant, appeal=appeal)
    client = sign_in(Client(), reviewer, with_mfa=True)
    url = reverse("review_evidence", args=[appeal.reference, evidence.pk])
    assert client.head(url).status_code == 405
    assert not AuditEvent.objects.filter(action=AuditAction.APPEAL_EVIDENCE_OPENED).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Europe/Berlinn"), ("holiday_calendar", "XX")],
)
def test_a_jurisdiction_with_an_unknown_time_zone_or_calendar_is_refused(
    field: str, value: str
) -> None:
    jurisdiction = Jurisdiction(code="ZZ", name="Nowhere", **{field: value})
    with pytest.raises(ValidationError) as error:
        jurisdiction.full_clean()
    assert field in error.value.message_dict


def test_every_review_write_url_refuses_get(appellant: User, reviewer: User) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    client = sign_in(Client(), reviewer, with_mfa=True)
    for name in (
        "review_claim",
        "review_release",
        "review_decide",
        "review_request_information",
        "review_assign",
        "review_flag",
    ):
        assert client.get(reverse(name, args=[appeal.reference])).status_code == 405, name
    for name in ("review_approve", "review_return"):
        assert client.get(reverse(name, args=[appeal.reference, 1])).status_code == 405, name
    assert client.get(reverse("supervisor_auto_assign")).status_code == 405


def test_operators_changing_access_in_the_admin_is_audited(
    make_user: Callable[..., User],
) -> None:
    operator = make_user(is_superuser=True, mfa=True)
    target = make_user("promote@example.org")
    client = sign_in(Client(), operator, with_mfa=True)
    response = client.post(
        reverse("admin:appeals_user_change", args=[target.pk]),
        {
            "email": target.email,
            "full_name": "",
            "is_active": "on",
            "is_staff": "on",
            "last_login_0": "",
            "last_login_1": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_ACCESS_CHANGED, user=target)
    assert event.actor == operator and "is_staff" in event.details["changed"]
