"""Deciding an appeal."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import Appeal, AppealStatus, AuditAction, BasisKind, Decision, Outcome, User
from appeals.models.appeal import Remedy
from appeals.permissions import has_role
from appeals.roles import Role
from appeals.services.audit import audit_record
from appeals.services.emails import email_send_template
from appeals.states import appeal_transition


class DecisionRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def appeal_decide(
    *,
    appeal: Appeal,
    reviewer: User,
    outcome: Outcome,
    reasons: str,
    basis_kind: BasisKind,
    basis: str,
    remedies_ordered: list[str] | None = None,
    internal_note: str = "",
    automated_means_used: bool = False,
    now: datetime | None = None,
) -> Decision:
    """Record a reasoned decision taken by a named reviewer.

    DSA Art. 20(6): never solely by automated means, so a person who holds the
    reviewer role is required. Art. 20(5) and 17(3): reasons and basis are required.
    """
    now = now or timezone.now()
    if reviewer is None or not reviewer.pk or not has_role(reviewer, Role.REVIEWER):
        raise DecisionRefused(_("Only a reviewer can decide an appeal."))
    if not reasons.strip():
        raise DecisionRefused(_("Give the reasons for the decision."))
    if not basis.strip():
        raise DecisionRefused(_("Name the law or the terms the decision rests on."))
    remedies = list(remedies_ordered or [])
    if any(r not in Remedy.values for r in remedies):
        raise DecisionRefused(_("Choose remedies from the list."))
    if remedies and outcome not in (Outcome.REVERSED, Outcome.PARTLY_REVERSED):
        raise DecisionRefused(_("Remedies can only be ordered when the decision is reversed."))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.appellant_id == reviewer.pk:
            raise DecisionRefused(_("You cannot decide your own appeal."))
        appeal_transition(appeal, AppealStatus.DECIDED, decided_at=now, paused_at=None)
        decision = Decision.objects.create(
            appeal=appeal,
            outcome=outcome,
            reasons=reasons.strip(),
            basis_kind=basis_kind,
            basis=basis.strip(),
            remedies_ordered=remedies,
            automated_means_used=automated_means_used,
            internal_note=internal_note.strip(),
            decided_by=reviewer,
            decided_at=now,
        )
        audit_record(
            action=AuditAction.APPEAL_DECIDED,
            actor=reviewer,
            target=appeal,
            details={"outcome": outcome, "remedies": remedies},
            occurred_at=now,
        )
        email_send_template(
            template="appeal_decided",
            to=[appeal.appellant.email],
            context={"appeal": appeal, "decision": decision},
            language=appeal.language,
        )
    return decision
