from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appeals.models import (
    AppealStatus,
    AuditAction,
    AuditEvent,
    Letter,
    LiaisonProfile,
    Retraction,
    RetractionStatus,
    User,
)
from appeals.roles import Role
from appeals.services.corrections import CorrectionRefused, decision_correct
from appeals.services.deadlines import deadlines_sweep
from appeals.services.decisions import appeal_decide, decision_approve
from appeals.services.letters import letter_render, letter_verify_code
from appeals.services.retractions import (
    RetractionRefused,
    compensation_accept,
    compensation_offer,
    compensation_paid,
    retraction_confirm,
    retraction_dispute,
)
from tests.conftest import sign_in
from tests.factories import chirp, claimed_appeal, decision_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def liaison(make_user: Callable[..., User]) -> User:
    user = make_user("liaison@chirp.example", roles=(Role.PLATFORM_LIAISON,), mfa=True)
    LiaisonProfile.objects.create(user=user).platforms.add(chirp())
    return user


def reversed_appeal(appellant: User, reviewer: User, **decision: object):  # type: ignore[no-untyped-def]
    appeal = claimed_appeal(appellant, reviewer)
    result = appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input(**decision))
    return appeal, result


def test_a_reversal_orders_one_retraction_per_remedy_due_in_72_hours(
    appellant: User, reviewer: User
) -> None:
    appeal, decision = reversed_appeal(
        appellant, reviewer, remedies_ordered=["reinstate_content", "correct_label"]
    )
    orders = list(Retraction.objects.filter(appeal=appeal).order_by("remedy"))
    assert [o.remedy for o in orders] == ["correct_label", "reinstate_content"]
    assert all(o.due_at == decision.decided_at + timedelta(hours=72) for o in orders)
    assert all(o.status == RetractionStatus.ORDERED and o.platform == chirp() for o in orders)
    assert AuditEvent.objects.filter(appeal=appeal, action=AuditAction.RETRACTION_ORDERED).exists()


def test_the_liaison_confirms_with_proof_and_the_appellant_is_told(
    appellant: User, reviewer: User, liaison: User, django_capture_on_commit_callbacks: Callable
) -> None:
    appeal, _ = reversed_appeal(appellant, reviewer)
    order = Retraction.objects.get(appeal=appeal)
    with pytest.raises(RetractionRefused):
        retraction_confirm(retraction=order, liaison=liaison, proof=" ", done_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        retraction_confirm(
            retraction=order,
            liaison=liaison,
            proof="https://chirp.example/p/9 is live again",
            done_at=timezone.now(),
        )
    order.refresh_from_db()
    assert order.status == RetractionStatus.DONE and order.confirmed_by == liaison
    assert mail.outbox[-1].to == [appellant.email]
    page = sign_in(Client(), appellant).get(reverse("appeal_detail", args=[appeal.reference]))
    assert "The platform confirmed it did this" in page.content.decode()


def test_a_liaison_of_another_platform_can_do_nothing(
    appellant: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    from appeals.models import Platform

    other = make_user(roles=(Role.PLATFORM_LIAISON,), mfa=True)
    LiaisonProfile.objects.create(user=other).platforms.add(
        Platform.objects.create(slug="other", name="Other")
    )
    appeal, _ = reversed_appeal(appellant, reviewer)
    order = Retraction.objects.get(appeal=appeal)
    with pytest.raises(RetractionRefused):
        retraction_confirm(retraction=order, liaison=other, proof="x", done_at=timezone.now())
    client = sign_in(Client(), other, with_mfa=True)
    assert client.get(reverse("liaison_order", args=[order.pk])).status_code == 404
    assert order.appeal.reference not in client.get(reverse("liaison_orders")).content.decode()


def test_an_overdue_retraction_escalates_once_and_a_dispute_reaches_supervisors(
    appellant: User, reviewer: User, liaison: User
) -> None:
    appeal, _ = reversed_appeal(
        appellant, reviewer, remedies_ordered=["reinstate_content", "correct_label"]
    )
    first, second = Retraction.objects.filter(appeal=appeal).order_by("remedy")
    retraction_dispute(retraction=first, liaison=liaison, reason="The label is accurate.")
    later = first.due_at + timedelta(minutes=1)
    assert deadlines_sweep(now=later).retractions_escalated == 1  # only the undisputed one
    assert deadlines_sweep(now=later + timedelta(hours=1)).retractions_escalated == 0
    second.refresh_from_db()
    assert second.status == RetractionStatus.ESCALATED
    kinds = sorted(appeal.escalations.values_list("kind", flat=True))
    assert kinds == ["retraction_disputed", "retraction_overdue"]
    # A late platform can still do it.
    retraction_confirm(retraction=second, liaison=liaison, proof="done", done_at=timezone.now())


def test_compensation_is_offered_accepted_and_paid_before_it_counts_as_done(
    appellant: User, reviewer: User, liaison: User, make_user: Callable[..., User]
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    proposal = appeal_decide(
        appeal=appeal,
        reviewer=reviewer,
        decision=decision_input(remedies_ordered=["reinstate_content", "compensation"]),
    )
    second = make_user("second@example.org", roles=(Role.REVIEWER,), mfa=True)
    decision_approve(proposal=proposal, second_reviewer=second)  # type: ignore[arg-type]
    order = Retraction.objects.get(appeal=appeal, remedy="compensation")
    with pytest.raises(RetractionRefused):
        compensation_paid(retraction=order, liaison=liaison, reference="X1")
    compensation_offer(retraction=order, liaison=liaison, amount=Decimal("150.00"), currency="eur")
    page = sign_in(Client(), appellant).get(reverse("appeal_detail", args=[appeal.reference]))
    assert "150.00 EUR" in page.content.decode() and "Accept this offer" in page.content.decode()
    with pytest.raises(RetractionRefused):
        compensation_accept(retraction=order, appellant=reviewer)
    Client().logout()
    client = sign_in(Client(), appellant)
    client.post(reverse("compensation_accept", args=[appeal.reference, order.pk]))
    compensation_paid(retraction=order, liaison=liaison, reference="SEPA-2026-11-001")
    order.refresh_from_db()
    assert order.status == RetractionStatus.DONE and "SEPA-2026-11-001" in order.proof
    assert order.compensation.paid_at is not None


def test_a_retracted_decision_goes_to_another_reviewer_and_ends_in_a_correction_letter(
    appellant: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    supervisor = make_user(roles=(Role.SUPERVISOR,), mfa=True)
    other = make_user("fresh-eyes@example.org", roles=(Role.REVIEWER,), mfa=True)
    appeal, decision = reversed_appeal(appellant, reviewer)
    old_letter = Letter.objects.get(appeal=appeal, kind=Letter.Kind.DECISION)
    letter_render(letter_id=str(old_letter.pk))
    with pytest.raises(CorrectionRefused):
        decision_correct(decision=decision, supervisor=supervisor, reasons="")
    decision_correct(decision=decision, supervisor=supervisor, reasons="Wrong rule applied.")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED and appeal.assigned_to is None
    assert Retraction.objects.get(appeal=appeal).status == RetractionStatus.CANCELLED
    assert letter_verify_code(old_letter.verification_code).superseded

    from appeals.services.assignment import AssignmentRefused, appeal_claim

    with pytest.raises(AssignmentRefused, match="earlier decision"):
        appeal_claim(appeal=appeal, reviewer=reviewer)
    appeal_claim(appeal=appeal, reviewer=other)
    from appeals.models import Outcome

    corrected = appeal_decide(
        appeal=appeal,
        reviewer=other,
        decision=decision_input(outcome=Outcome.UPHELD, remedies_ordered=[], reasons="Upheld."),
    )
    correction = Letter.objects.get(appeal=appeal, kind=Letter.Kind.CORRECTION)
    assert correction.decision == corrected
    old_letter.refresh_from_db()
    assert old_letter.superseded_by == correction
    assert appeal.current_decision() == corrected
    letter_render(letter_id=str(correction.pk))
    correction.refresh_from_db()
    from tests.test_letters import pdf_text

    text = pdf_text(correction.file.read())
    assert "Correction of our decision" in text and old_letter.verification_code in text
    assert AuditEvent.objects.filter(appeal=appeal, action=AuditAction.DECISION_RETRACTED).exists()


def test_the_liaison_pages_work_through_the_browser_forms(
    appellant: User, reviewer: User, liaison: User
) -> None:
    appeal, _ = reversed_appeal(appellant, reviewer)
    order = Retraction.objects.get(appeal=appeal)
    client = sign_in(Client(), liaison, with_mfa=True)
    assert appeal.reference in client.get(reverse("liaison_orders")).content.decode()
    bad = client.post(reverse("liaison_confirm", args=[order.pk]), {"proof": "", "done_on": "x"})
    assert bad.status_code == 400 and "Say what shows it is done." in bad.content.decode()
    client.post(
        reverse("liaison_confirm", args=[order.pk]),
        {"proof": "Live again", "done_on": timezone.localdate().isoformat()},
    )
    order.refresh_from_db()
    assert order.status == RetractionStatus.DONE


def test_the_supervisor_dashboard_counts_and_handles_escalations(
    appellant: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    supervisor = make_user(roles=(Role.SUPERVISOR,), mfa=True)
    appeal = claimed_appeal(appellant, reviewer)
    deadlines_sweep(now=appeal.due_at + timedelta(seconds=1))
    client = sign_in(Client(), supervisor, with_mfa=True)
    page = client.get(reverse("supervisor_deadlines")).content.decode()
    assert appeal.reference in page and "Appeal past its decision deadline" in page
    escalation = appeal.escalations.get()
    client.post(reverse("supervisor_handle_escalation", args=[escalation.pk]), {"note": "Chased."})
    escalation.refresh_from_db()
    assert escalation.handled_by == supervisor and escalation.note == "Chased."
    assert (
        sign_in(Client(), reviewer, with_mfa=True).get(reverse("supervisor_deadlines")).status_code
        == 404
    )


def test_accepting_or_paying_without_an_offer_is_refused_not_a_crash(
    appellant: User, reviewer: User, liaison: User
) -> None:
    # Found by tests/test_hostile_everywhere.py: a Compensation row may not exist yet.
    appeal, _ = reversed_appeal(appellant, reviewer)
    order = Retraction.objects.get(appeal=appeal)
    with pytest.raises(RetractionRefused, match="no offer"):
        compensation_accept(retraction=order, appellant=appellant)
    with pytest.raises(RetractionRefused, match="not accepted"):
        compensation_paid(retraction=order, liaison=liaison, reference="PAY-1")
    response = sign_in(Client(), appellant).post(
        reverse("compensation_accept", args=[appeal.reference, order.pk]), follow=True
    )
    assert "There is no offer waiting for your answer." in response.content.decode()
