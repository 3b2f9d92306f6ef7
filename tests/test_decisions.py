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
    BasisKind,
    Outcome,
    OutOfCourtBody,
    User,
)
from appeals.roles import Role
from appeals.services.decisions import DecisionRefused, appeal_decide
from tests.conftest import sign_in
from tests.factories import file_appeal, germany

pytestmark = pytest.mark.django_db

DECISION = {
    "outcome": Outcome.REVERSED,
    "reasons": "The post is satire and breaks no rule.",
    "basis_kind": BasisKind.CONTRACTUAL,
    "basis": "Community rules, section 3, read with the satire exception.",
    "remedies_ordered": ["reinstate_content"],
    "internal_note": "Checked with the policy team.",
}


def test_a_reviewer_decides_with_reasons_and_the_decision_is_audited_and_sent(
    appellant: User, reviewer: User, django_capture_on_commit_callbacks: Callable
) -> None:
    appeal = file_appeal(appellant)
    with django_capture_on_commit_callbacks(execute=True):
        decision = appeal_decide(appeal=appeal, reviewer=reviewer, **DECISION)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DECIDED
    assert decision.decided_by == reviewer
    assert AuditEvent.objects.filter(appeal=appeal, action=AuditAction.APPEAL_DECIDED).exists()
    assert appeal.reference in mail.outbox[-1].subject


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reasons": "  "}, "reasons"),
        ({"basis": ""}, "law or the terms"),
        ({"outcome": Outcome.UPHELD}, "only be ordered when"),
        ({"remedies_ordered": ["teleport"]}, "from the list"),
    ],
)
def test_a_decision_without_what_the_law_requires_is_refused(
    appellant: User, reviewer: User, change: dict, message: str
) -> None:
    appeal = file_appeal(appellant)
    with pytest.raises(DecisionRefused, match=message):
        appeal_decide(appeal=appeal, reviewer=reviewer, **{**DECISION, **change})
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED


def test_no_one_without_the_reviewer_role_can_decide(
    appellant: User, make_user: Callable[..., User]
) -> None:
    appeal = file_appeal(appellant)
    auditor = make_user(roles=(Role.AUDITOR,), mfa=True)
    with pytest.raises(DecisionRefused):
        appeal_decide(appeal=appeal, reviewer=auditor, **DECISION)
    with pytest.raises(DecisionRefused):
        appeal_decide(appeal=appeal, reviewer=None, **DECISION)  # type: ignore[arg-type]


def test_a_reviewer_cannot_decide_their_own_appeal(make_user: Callable[..., User]) -> None:
    reviewer = make_user(roles=(Role.REVIEWER,), mfa=True)
    appeal = file_appeal(reviewer)
    with pytest.raises(DecisionRefused):
        appeal_decide(appeal=appeal, reviewer=reviewer, **DECISION)


def test_the_case_page_shows_the_decision_and_the_redress_but_never_the_internal_note(
    client: Client, appellant: User, reviewer: User
) -> None:
    body = OutOfCourtBody.objects.create(
        name="Appeals Centre Europe", website="https://ace.example/"
    )
    body.jurisdictions.add(germany())
    appeal = file_appeal(appellant)
    appeal_decide(appeal=appeal, reviewer=reviewer, **DECISION)
    page = sign_in(client, appellant).get(reverse("appeal_detail", args=[appeal.reference]))
    html = page.content.decode()
    assert "The platform’s decision is reversed" in html
    assert "The post is satire and breaks no rule." in html
    assert "Appeals Centre Europe" in html and "90 days" in html
    assert "Put my content back" in html
    assert "Checked with the policy team." not in html
