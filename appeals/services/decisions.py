"""Deciding an appeal, with a second reviewer where the four-eyes rules require one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.errors import Refused
from appeals.models import (
    Appeal,
    AppealStatus,
    AuditAction,
    BasisKind,
    Decision,
    DecisionProposal,
    FourEyesRule,
    Letter,
    Outcome,
    StatKind,
    User,
)
from appeals.models.appeal import Remedy
from appeals.models.decision import REVERSING_OUTCOMES
from appeals.permissions import can_see_case_as_staff, conflicts_of_interest, has_role
from appeals.roles import Role
from appeals.services.audit import audit_record
from appeals.services.emails import email_send_template
from appeals.services.letters import letter_request
from appeals.services.retractions import retractions_order
from appeals.services.stats import stat_record
from appeals.states import PROPOSAL, appeal_transition, transition


class DecisionRefused(Refused):
    """A decision cannot be recorded, approved or returned (appeals.errors.Refused)."""


@dataclass(frozen=True)
class DecisionInput:
    """What a reviewer decides (DSA Art. 17(3), 20(5)): outcome, reasons, basis, remedies."""

    outcome: Outcome
    reasons: str
    basis_kind: BasisKind
    basis: str
    remedies_ordered: list[str] = field(default_factory=list)
    internal_note: str = ""
    automated_means_used: bool = False


def _validate(decision: DecisionInput) -> None:
    if not decision.reasons.strip():
        raise DecisionRefused(_("Give the reasons for the decision."))
    if not decision.basis.strip():
        raise DecisionRefused(_("Name the law or the terms the decision rests on."))
    if any(r not in Remedy.values for r in decision.remedies_ordered):
        raise DecisionRefused(_("Choose remedies from the list."))
    if decision.remedies_ordered and decision.outcome not in REVERSING_OUTCOMES:
        raise DecisionRefused(_("Remedies can only be ordered when the decision is reversed."))
    if decision.outcome in REVERSING_OUTCOMES and not decision.remedies_ordered:
        raise DecisionRefused(_("Choose what the platform must do to put things right."))


def _check_reviewer(reviewer: User | None, appeal: Appeal) -> User:
    """DSA Art. 20(6): never solely by automated means; a named, qualified person decides."""
    if reviewer is None or not reviewer.pk or not has_role(reviewer, Role.REVIEWER):
        raise DecisionRefused(_("Only a reviewer can decide an appeal."))
    if not can_see_case_as_staff(reviewer, appeal):
        raise DecisionRefused(_("You are not qualified for this jurisdiction."))
    conflicts = conflicts_of_interest(reviewer, appeal)
    if conflicts:
        raise DecisionRefused(" ".join(conflicts))
    return reviewer


def four_eyes_reasons(appeal: Appeal, decision: DecisionInput) -> list[str]:
    """The rules that require a second reviewer for this decision, by name."""
    reasons = []
    if appeal.needs_second_review:
        reasons.append(str(_("A supervisor flagged this case for a second reviewer.")))
    for rule in FourEyesRule.objects.filter(active=True):
        if rule.categories and appeal.category not in rule.categories:
            continue
        if rule.outcomes and decision.outcome not in rule.outcomes:
            continue
        if rule.when_compensation and Remedy.COMPENSATION not in decision.remedies_ordered:
            continue
        reasons.append(rule.name)
    return reasons


def _finalise(
    appeal: Appeal,
    decision: DecisionInput,
    *,
    decided_by: User,
    approved_by: User | None,
    now: datetime,
) -> Decision:
    appeal_transition(appeal, AppealStatus.DECIDED, decided_at=now, paused_at=None)
    corrects = (
        Decision.objects.filter(appeal=appeal, retracted_at__isnull=False)
        .order_by("-retracted_at")
        .first()
    )
    final = Decision.objects.create(
        corrects=corrects,
        appeal=appeal,
        outcome=decision.outcome,
        reasons=decision.reasons.strip(),
        basis_kind=decision.basis_kind,
        basis=decision.basis.strip(),
        remedies_ordered=list(decision.remedies_ordered),
        automated_means_used=decision.automated_means_used,
        internal_note=decision.internal_note.strip(),
        decided_by=decided_by,
        approved_by=approved_by,
        decided_at=now,
    )
    letter = letter_request(
        appeal=appeal,
        kind=Letter.Kind.CORRECTION if corrects else Letter.Kind.DECISION,
        subject_key=str(final.pk),
        decision=final,
    )
    if corrects is not None:
        # The retracted decision's letters now point at the letter that replaces them.
        Letter.objects.filter(decision=corrects, superseded_by__isnull=True).update(
            superseded_by=letter
        )
    stat_record(
        kind=StatKind.APPEAL_DECIDED,
        at=now,
        time_zone=appeal.jurisdiction.time_zone,
        jurisdiction=appeal.jurisdiction.code,
        platform=appeal.platform.slug,
        category=appeal.category,
        outcome=decision.outcome,
        hours=(now - appeal.filed_at).total_seconds() / 3600,
        on_time=now <= appeal.due_at,
        automated=decision.automated_means_used,
    )
    if final.reverses:
        retractions_order(decision=final, now=now)
    email_send_template(
        template="appeal_decided",
        to=[appeal.appellant.email],
        context={"appeal": appeal, "decision": final},
        language=appeal.language,
    )
    return final


def appeal_decide(
    *,
    appeal: Appeal,
    reviewer: User,
    decision: DecisionInput,
    now: datetime | None = None,
) -> Decision | DecisionProposal:
    """The assigned reviewer decides. Where a four-eyes rule applies, the decision is
    proposed and takes effect only when a second reviewer approves it."""
    now = now or timezone.now()
    _validate(decision)
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("takedown").get(pk=appeal.pk)
        _check_reviewer(reviewer, appeal)
        if appeal.status != AppealStatus.UNDER_REVIEW or appeal.assigned_to_id != reviewer.pk:
            raise DecisionRefused(_("Only the reviewer assigned to this case can decide it."))
        rules = four_eyes_reasons(appeal, decision)
        if rules:
            proposal = DecisionProposal.objects.create(
                appeal=appeal,
                outcome=decision.outcome,
                reasons=decision.reasons.strip(),
                basis_kind=decision.basis_kind,
                basis=decision.basis.strip(),
                remedies_ordered=list(decision.remedies_ordered),
                automated_means_used=decision.automated_means_used,
                internal_note=decision.internal_note.strip(),
                rules_matched=rules,
                proposed_by=reviewer,
                proposed_at=now,
            )
            appeal_transition(appeal, AppealStatus.AWAITING_SECOND_REVIEW)
            audit_record(
                action=AuditAction.APPEAL_DECISION_PROPOSED,
                actor=reviewer,
                target=appeal,
                details={"outcome": decision.outcome, "rules": rules},
                occurred_at=now,
            )
            return proposal
        final = _finalise(appeal, decision, decided_by=reviewer, approved_by=None, now=now)
        audit_record(
            action=AuditAction.APPEAL_DECIDED,
            actor=reviewer,
            target=appeal,
            details={"outcome": decision.outcome, "remedies": list(decision.remedies_ordered)},
            occurred_at=now,
        )
        return final


def _pending(proposal: DecisionProposal, second: User) -> tuple[Appeal, DecisionProposal]:
    proposal = DecisionProposal.objects.select_for_update().get(pk=proposal.pk)
    appeal = (
        Appeal.objects.select_for_update().select_related("takedown").get(pk=proposal.appeal_id)
    )
    if proposal.state != DecisionProposal.State.PENDING:
        raise DecisionRefused(_("This decision has already been checked."))
    if proposal.proposed_by_id == second.pk:
        raise DecisionRefused(_("A second reviewer must be someone else."))
    _check_reviewer(second, appeal)
    return appeal, proposal


def decision_approve(
    *, proposal: DecisionProposal, second_reviewer: User, now: datetime | None = None
) -> Decision:
    """A second reviewer approves a proposed decision; both are named on it."""
    now = now or timezone.now()
    with transaction.atomic():
        appeal, proposal = _pending(proposal, second_reviewer)
        decision = DecisionInput(
            outcome=Outcome(proposal.outcome),
            reasons=proposal.reasons,
            basis_kind=BasisKind(proposal.basis_kind),
            basis=proposal.basis,
            remedies_ordered=list(proposal.remedies_ordered),
            internal_note=proposal.internal_note,
            automated_means_used=proposal.automated_means_used,
        )
        final = _finalise(
            appeal,
            decision,
            decided_by=proposal.proposed_by,
            approved_by=second_reviewer,
            now=now,
        )
        transition(
            PROPOSAL,
            proposal,
            DecisionProposal.State.APPROVED,
            second_reviewer=second_reviewer,
            reviewed_at=now,
        )
        audit_record(
            action=AuditAction.APPEAL_DECISION_APPROVED,
            actor=second_reviewer,
            target=appeal,
            details={"outcome": proposal.outcome, "proposed_by": proposal.proposed_by_id},
            occurred_at=now,
        )
        return final


def decision_return(
    *,
    proposal: DecisionProposal,
    second_reviewer: User,
    comments: str,
    now: datetime | None = None,
) -> DecisionProposal:
    """A second reviewer sends a proposed decision back, saying why."""
    now = now or timezone.now()
    if not comments.strip():
        raise DecisionRefused(_("Say what should change before the decision can be approved."))
    with transaction.atomic():
        appeal, proposal = _pending(proposal, second_reviewer)
        appeal_transition(appeal, AppealStatus.UNDER_REVIEW)
        transition(
            PROPOSAL,
            proposal,
            DecisionProposal.State.RETURNED,
            second_reviewer=second_reviewer,
            reviewed_at=now,
            comments=comments.strip(),
        )
        audit_record(
            action=AuditAction.APPEAL_DECISION_RETURNED,
            actor=second_reviewer,
            target=appeal,
            details={"proposal": proposal.pk},
            occurred_at=now,
        )
    return proposal
