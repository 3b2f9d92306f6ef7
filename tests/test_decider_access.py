"""Deciders keep read access: a conflict of interest stops a reviewer acting on a
case, not reading the decision they took themselves (issue 15, item 2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from appeals.models import AppealStatus, Letter, Retraction, User
from appeals.roles import Role
from appeals.services.assignment import (
    AssignmentRefused,
    appeal_auto_assign,
    appeal_claim,
)
from appeals.services.corrections import decision_correct
from appeals.services.decisions import DecisionRefused, appeal_decide
from tests.conftest import sign_in
from tests.factories import claimed_appeal, decision_input

pytestmark = pytest.mark.django_db

DECISION = {
    "outcome": "reversed",
    "reasons": "The post is satire and breaks no rule.",
    "basis_kind": "contractual",
    "basis": "Community rules, section 3, read with the satire exception.",
    "remedies_ordered": ["reinstate_content"],
    "internal_note": "",
}


@pytest.fixture
def supervisor(make_user: Callable[..., User]) -> User:
    return make_user("boss@example.org", roles=(Role.SUPERVISOR,), mfa=True)


def test_after_recording_a_decision_the_decider_sees_it_with_its_letter_and_orders(
    appellant: User, reviewer: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    client = sign_in(Client(), reviewer, with_mfa=True)
    with django_capture_on_commit_callbacks(execute=True):  # the letter's task runs
        response = client.post(reverse("review_decide", args=[appeal.reference]), DECISION)
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Your decision on {appeal.reference} is recorded" in html
    assert "The post is satire and breaks no rule." in html
    letter = Letter.objects.get(appeal=appeal, kind=Letter.Kind.DECISION)
    assert letter.status == Letter.Status.ISSUED
    assert reverse("review_letter", args=[appeal.reference, letter.pk]) in html
    assert Retraction.objects.filter(appeal=appeal).exists()
    assert "Putting things right" in html
    # The decider downloads the letter of their decision too.
    download = client.get(reverse("review_letter", args=[appeal.reference, letter.pk]))
    assert download.status_code == 200


def test_the_decider_opens_the_case_again_later_but_is_offered_no_action(
    appellant: User, reviewer: User
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    html = (
        sign_in(Client(), reviewer, with_mfa=True)
        .get(reverse("review_case", args=[appeal.reference]))
        .content.decode()
    )
    assert "The post is satire and breaks no rule." in html
    assert "You can read this case and the decision you took" in html
    for action in ("Record the decision", "Claim this case", "Send the question"):
        assert action not in html


def test_after_a_withdrawn_decision_the_decider_reads_the_case_but_another_reviewer_decides(
    appellant: User,
    reviewer: User,
    supervisor: User,
    make_user: Callable[..., User],
) -> None:
    other = make_user("fresh-eyes@example.org", roles=(Role.REVIEWER,), mfa=True)
    appeal = claimed_appeal(appellant, reviewer)
    decision = appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    decision_correct(decision=decision, supervisor=supervisor, reasons="Wrong rule applied.")  # type: ignore[arg-type]
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED

    client = sign_in(Client(), reviewer, with_mfa=True)
    page = client.get(reverse("review_case", args=[appeal.reference]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "They took an earlier decision on this case." in html
    assert "Claim this case" not in html
    # Acting is still refused, by the page's own door and by the services.
    assert client.post(reverse("review_claim", args=[appeal.reference])).status_code == 404
    with pytest.raises(AssignmentRefused, match="earlier decision"):
        appeal_claim(appeal=appeal, reviewer=reviewer)
    assert appeal_auto_assign(appeal=appeal) == other
    appeal.refresh_from_db()
    with pytest.raises(DecisionRefused):
        appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())


def test_a_conflict_without_a_decision_still_keeps_the_reviewer_out(
    appellant: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    """Read access is for what the reviewer decided, not for every conflicted case."""
    from appeals.models import ConflictDeclaration

    decider = make_user("decider@example.org", roles=(Role.REVIEWER,), mfa=True)
    appeal = claimed_appeal(appellant, decider)
    appeal_decide(appeal=appeal, reviewer=decider, decision=decision_input())
    ConflictDeclaration.objects.create(reviewer=reviewer, person=appellant)
    client = sign_in(Client(), reviewer, with_mfa=True)
    assert client.get(reverse("review_case", args=[appeal.reference])).status_code == 404
    letter = Letter.objects.filter(appeal=appeal).first()
    assert letter is not None
    assert (
        client.get(reverse("review_letter", args=[appeal.reference, letter.pk])).status_code == 404
    )
