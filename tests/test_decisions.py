from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from appeals.models import (
    AppealStatus,
    AuditAction,
    AuditEvent,
    Decision,
    DecisionProposal,
    Outcome,
    OutOfCourtBody,
    User,
)
from appeals.roles import Role
from appeals.services.assignment import appeal_flag_for_second_review
from appeals.services.decisions import (
    DecisionRefused,
    appeal_decide,
    decision_approve,
    decision_return,
)
from tests.conftest import sign_in
from tests.factories import claimed_appeal, decision_input, file_appeal, germany

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_reviewer(make_user: Callable[..., User]) -> User:
    return make_user("second@example.org", roles=(Role.REVIEWER,), mfa=True)


def test_the_assigned_reviewer_decides_with_reasons_audited_and_sent(
    appellant: User, reviewer: User, django_capture_on_commit_callbacks: Callable
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        decision = appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    assert isinstance(decision, Decision)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DECIDED
    assert decision.decided_by == reviewer and decision.approved_by is None
    assert AuditEvent.objects.filter(appeal=appeal, action=AuditAction.APPEAL_DECIDED).exists()
    assert appeal.reference in mail.outbox[-1].subject


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reasons": "  "}, "reasons"),
        ({"basis": ""}, "law or the terms"),
        ({"outcome": Outcome.UPHELD}, "only be ordered when"),
        ({"remedies_ordered": ["teleport"]}, "from the list"),
        ({"remedies_ordered": []}, "put things right"),
    ],
)
def test_a_decision_without_what_the_law_requires_is_refused(
    appellant: User, reviewer: User, change: dict, message: str
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    with pytest.raises(DecisionRefused, match=message):
        appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input(**change))
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UNDER_REVIEW


def test_no_path_decides_without_the_assigned_human_reviewer(
    appellant: User, reviewer: User, second_reviewer: User, make_user: Callable[..., User]
) -> None:
    appeal = file_appeal(appellant)
    with pytest.raises(DecisionRefused):  # not assigned to anyone yet
        appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    appeal = claimed_appeal(appellant, reviewer)
    auditor = make_user(roles=(Role.AUDITOR,), mfa=True)
    for someone in (auditor, second_reviewer, None):
        with pytest.raises(DecisionRefused):
            appeal_decide(appeal=appeal, reviewer=someone, decision=decision_input())  # type: ignore[arg-type]
    assert not Decision.objects.exists()


def test_a_compensation_order_needs_a_second_reviewer_before_it_takes_effect(
    appellant: User, reviewer: User, second_reviewer: User
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    result = appeal_decide(
        appeal=appeal,
        reviewer=reviewer,
        decision=decision_input(remedies_ordered=["reinstate_content", "compensation"]),
    )
    assert isinstance(result, DecisionProposal)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.AWAITING_SECOND_REVIEW
    assert not Decision.objects.exists()
    with pytest.raises(DecisionRefused, match="someone else"):
        decision_approve(proposal=result, second_reviewer=reviewer)

    decision = decision_approve(proposal=result, second_reviewer=second_reviewer)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DECIDED
    assert decision.decided_by == reviewer and decision.approved_by == second_reviewer
    assert AuditEvent.objects.filter(
        appeal=appeal, action=AuditAction.APPEAL_DECISION_APPROVED, actor=second_reviewer
    ).exists()


def test_a_child_safety_reversal_needs_four_eyes_but_an_upheld_one_does_not(
    appellant: User, reviewer: User
) -> None:
    from appeals.models import Appeal

    appeal = claimed_appeal(appellant, reviewer)
    Appeal.objects.filter(pk=appeal.pk).update(category="STATEMENT_CATEGORY_PROTECTION_OF_MINORS")
    appeal.refresh_from_db()
    assert isinstance(
        appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input()),
        DecisionProposal,
    )
    other = claimed_appeal(appellant, reviewer)
    Appeal.objects.filter(pk=other.pk).update(category="STATEMENT_CATEGORY_PROTECTION_OF_MINORS")
    other.refresh_from_db()
    upheld = decision_input(outcome=Outcome.UPHELD, remedies_ordered=[])
    assert isinstance(appeal_decide(appeal=other, reviewer=reviewer, decision=upheld), Decision)


def test_a_supervisor_flag_requires_a_second_reviewer(
    appellant: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    supervisor = make_user(roles=(Role.SUPERVISOR,), mfa=True)
    appeal = claimed_appeal(appellant, reviewer)
    appeal_flag_for_second_review(appeal=appeal, supervisor=supervisor, reason="Press interest.")
    upheld = decision_input(outcome=Outcome.UPHELD, remedies_ordered=[])
    assert isinstance(
        appeal_decide(appeal=appeal, reviewer=reviewer, decision=upheld), DecisionProposal
    )


def test_a_returned_decision_goes_back_to_its_reviewer_with_the_comments(
    appellant: User, reviewer: User, second_reviewer: User
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    proposal = appeal_decide(
        appeal=appeal,
        reviewer=reviewer,
        decision=decision_input(remedies_ordered=["compensation"]),
    )
    assert isinstance(proposal, DecisionProposal)
    with pytest.raises(DecisionRefused):
        decision_return(proposal=proposal, second_reviewer=second_reviewer, comments=" ")
    decision_return(proposal=proposal, second_reviewer=second_reviewer, comments="Say how much.")
    appeal.refresh_from_db()
    proposal.refresh_from_db()
    assert appeal.status == AppealStatus.UNDER_REVIEW and appeal.assigned_to == reviewer
    assert (
        proposal.state == DecisionProposal.State.RETURNED and proposal.comments == "Say how much."
    )
    with pytest.raises(DecisionRefused, match="already been checked"):
        decision_approve(proposal=proposal, second_reviewer=second_reviewer)


def test_the_case_page_shows_the_decision_and_the_redress_but_never_the_internal_note(
    client: Client, appellant: User, reviewer: User
) -> None:
    body = OutOfCourtBody.objects.create(
        name="Appeals Centre Europe", website="https://ace.example/"
    )
    body.jurisdictions.add(germany())
    appeal = claimed_appeal(appellant, reviewer)
    appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    page = sign_in(client, appellant).get(reverse("appeal_detail", args=[appeal.reference]))
    html = page.content.decode()
    assert "The platform’s decision is reversed" in html
    assert "The post is satire and breaks no rule." in html
    assert "Appeals Centre Europe" in html and "90 days" in html
    assert "Put the content back" in html
    assert "Checked with the policy team." not in html
