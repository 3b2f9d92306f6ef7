"""Putting a reversed takedown right: retraction orders, confirmations, disputes,
compensation. Each is followed until the platform has done it (72 hours after the
decision by default) and escalated if it has not."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.deadlines import retraction_due
from appeals.errors import Refused
from appeals.models import (
    AuditAction,
    Compensation,
    Decision,
    Escalation,
    Remedy,
    Retraction,
    RetractionStatus,
    StatKind,
    User,
)
from appeals.selectors.retractions import liaison_platform_ids
from appeals.services.audit import audit_record
from appeals.services.emails import email_send_template
from appeals.services.stats import stat_record
from appeals.states import IllegalTransition, StaleState, retraction_transition


class RetractionRefused(Refused):
    """A retraction order cannot be changed so (appeals.errors.Refused)."""


def retractions_order(*, decision: Decision, now: datetime) -> list[Retraction]:
    """One order per remedy, to the platform, with a deadline from policy.
    Runs inside the decision's transaction."""
    appeal = decision.appeal
    due = retraction_due(appeal.jurisdiction, now)
    orders = []
    for remedy in decision.remedies_ordered:
        retraction = Retraction.objects.create(
            appeal=appeal,
            decision=decision,
            platform=appeal.platform,
            remedy=remedy,
            ordered_at=now,
            due_at=due,
        )
        if remedy == Remedy.COMPENSATION:
            Compensation.objects.create(retraction=retraction)
        stat_record(
            kind=StatKind.RETRACTION_ORDERED,
            at=now,
            time_zone=appeal.jurisdiction.time_zone,
            jurisdiction=appeal.jurisdiction.code,
            platform=appeal.platform.slug,
            category=appeal.category,
            outcome=remedy,
        )
        orders.append(retraction)
    if orders:
        audit_record(
            action=AuditAction.RETRACTION_ORDERED,
            target=appeal,
            details={
                "decision": decision.pk,
                "remedies": list(decision.remedies_ordered),
                "due_at": due.isoformat(),
            },
            occurred_at=now,
        )
    return orders


def _check_liaison(user: User, retraction: Retraction) -> None:
    if retraction.platform_id not in liaison_platform_ids(user):
        raise RetractionRefused(_("Only a liaison of this platform can do this."))


def _locked(retraction: Retraction) -> Retraction:
    return (
        Retraction.objects.select_for_update()
        .select_related("appeal__appellant", "appeal__jurisdiction", "platform")
        .get(pk=retraction.pk)
    )


def _done(
    retraction: Retraction,
    *,
    by: User | None,
    proof: str,
    done_at: datetime,
    now: datetime,
    via: dict[str, Any] | None = None,
) -> None:
    """Close the order as done. ``via`` names what acted when no person did (the
    platform's API key), for the audit event."""
    try:
        retraction_transition(
            retraction, RetractionStatus.DONE, done_at=done_at, proof=proof, confirmed_by=by
        )
    except (IllegalTransition, StaleState) as exc:
        raise RetractionRefused(_("This order is already closed.")) from exc
    appeal = retraction.appeal
    stat_record(
        kind=StatKind.RETRACTION_DONE,
        at=done_at,
        time_zone=appeal.jurisdiction.time_zone,
        jurisdiction=appeal.jurisdiction.code,
        platform=retraction.platform.slug,
        category=appeal.category,
        outcome=retraction.remedy,
        hours=(done_at - retraction.ordered_at).total_seconds() / 3600,
        on_time=done_at <= retraction.due_at,
    )
    audit_record(
        action=AuditAction.RETRACTION_DONE,
        actor=by,
        target=retraction.appeal,
        details={"retraction": str(retraction.pk), "remedy": retraction.remedy, **(via or {})},
        occurred_at=now,
    )
    email_send_template(
        template="retraction_done",
        to=[retraction.appeal.appellant.email],
        context={"appeal": retraction.appeal, "retraction": retraction},
        language=retraction.appeal.language,
    )


def retraction_confirm(
    *,
    retraction: Retraction,
    liaison: User,
    proof: str,
    done_at: datetime,
    now: datetime | None = None,
) -> Retraction:
    """The platform says it has done what was ordered, and what shows it."""
    now = now or timezone.now()
    if not proof.strip():
        raise RetractionRefused(_("Say what shows it is done, for example the address."))
    if done_at > now:
        raise RetractionRefused(_("The date it was done cannot be in the future."))
    with transaction.atomic():
        retraction = _locked(retraction)
        _check_liaison(liaison, retraction)
        if retraction.remedy == Remedy.COMPENSATION:
            raise RetractionRefused(_("Compensation is done when it is recorded as paid."))
        _done(retraction, by=liaison, proof=proof.strip(), done_at=done_at, now=now)
    return retraction


def retraction_dispute(
    *, retraction: Retraction, liaison: User, reason: str, now: datetime | None = None
) -> Retraction:
    """The platform contests the order; supervisors are told at once."""
    now = now or timezone.now()
    if not reason.strip():
        raise RetractionRefused(_("Say why the platform disputes this order."))
    with transaction.atomic():
        retraction = _locked(retraction)
        _check_liaison(liaison, retraction)
        try:
            retraction_transition(
                retraction,
                RetractionStatus.DISPUTED,
                dispute_reason=reason.strip(),
                disputed_at=now,
            )
        except (IllegalTransition, StaleState) as exc:
            raise RetractionRefused(_("This order can no longer be disputed.")) from exc
        Escalation.objects.get_or_create(
            kind=Escalation.Kind.RETRACTION_DISPUTED,
            appeal=retraction.appeal,
            retraction=retraction,
            due_at=retraction.due_at,
            defaults={"created_at": now},
        )
        audit_record(
            action=AuditAction.RETRACTION_DISPUTED,
            actor=liaison,
            target=retraction.appeal,
            details={"retraction": str(retraction.pk)},
            occurred_at=now,
        )
    return retraction


def compensation_offer(
    *,
    retraction: Retraction,
    liaison: User,
    amount: Decimal,
    currency: str,
    now: datetime | None = None,
) -> Compensation:
    now = now or timezone.now()
    if amount <= 0:
        raise RetractionRefused(_("Enter an amount above zero."))
    if len(currency) != 3 or not currency.isalpha():
        raise RetractionRefused(_("Enter the currency as three letters, for example EUR."))
    with transaction.atomic():
        retraction = _locked(retraction)
        _check_liaison(liaison, retraction)
        compensation = Compensation.objects.select_for_update().get(retraction=retraction)
        if compensation.accepted_at or retraction.status not in (
            RetractionStatus.ORDERED,
            RetractionStatus.ESCALATED,
        ):
            raise RetractionRefused(_("An offer can no longer be made or changed."))
        compensation.amount, compensation.currency = amount, currency.upper()
        compensation.offered_at = now
        compensation.save(update_fields=["amount", "currency", "offered_at"])
        audit_record(
            action=AuditAction.COMPENSATION_OFFERED,
            actor=liaison,
            target=retraction.appeal,
            details={"retraction": str(retraction.pk), "amount": str(amount), "currency": currency},
            occurred_at=now,
        )
    return compensation


def compensation_accept(
    *, retraction: Retraction, appellant: User, now: datetime | None = None
) -> Compensation:
    now = now or timezone.now()
    with transaction.atomic():
        retraction = _locked(retraction)
        if retraction.appeal.appellant_id != appellant.pk:
            raise RetractionRefused(_("Only the appellant can accept the offer."))
        compensation = (
            Compensation.objects.select_for_update().filter(retraction=retraction).first()
        )
        if (
            compensation is None
            or compensation.offered_at is None
            or compensation.accepted_at is not None
        ):
            raise RetractionRefused(_("There is no offer waiting for your answer."))
        compensation.accepted_at = now
        compensation.save(update_fields=["accepted_at"])
        audit_record(
            action=AuditAction.COMPENSATION_ACCEPTED,
            actor=appellant,
            target=retraction.appeal,
            details={"retraction": str(retraction.pk)},
            occurred_at=now,
        )
    return compensation


def compensation_paid(
    *, retraction: Retraction, liaison: User, reference: str, now: datetime | None = None
) -> Compensation:
    """The platform paid the accepted amount: the order is done."""
    now = now or timezone.now()
    if not reference.strip():
        raise RetractionRefused(_("Give the payment reference."))
    with transaction.atomic():
        retraction = _locked(retraction)
        _check_liaison(liaison, retraction)
        compensation = (
            Compensation.objects.select_for_update().filter(retraction=retraction).first()
        )
        if compensation is None or compensation.accepted_at is None:
            raise RetractionRefused(_("The appellant has not accepted an offer yet."))
        compensation.paid_at = now
        compensation.save(update_fields=["paid_at"])
        audit_record(
            action=AuditAction.COMPENSATION_PAID,
            actor=liaison,
            target=retraction.appeal,
            details={"retraction": str(retraction.pk), "reference": reference.strip()},
            occurred_at=now,
        )
        _done(
            retraction,
            by=liaison,
            proof=_("Paid %(amount)s %(currency)s, reference %(reference)s")
            % {
                "amount": compensation.amount,
                "currency": compensation.currency,
                "reference": reference.strip(),
            },
            done_at=now,
            now=now,
        )
    return compensation


def retractions_cancel_for(*, decision: Decision, now: datetime) -> int:
    """A retracted decision's open orders are withdrawn (the correction makes new ones)."""
    cancelled = 0
    for retraction in Retraction.objects.select_for_update().filter(decision=decision):
        if retraction.status in (RetractionStatus.DONE, RetractionStatus.CANCELLED):
            continue
        retraction_transition(retraction, RetractionStatus.CANCELLED)
        cancelled += 1
    return cancelled
