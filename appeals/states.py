"""Every status field's state machine: its allowed transitions, in one table each,
behind one compare-and-set gate.

Services change a status only through ``transition``: it checks the machine's table,
then updates the row only if its status is still the one the caller read, so two
people (or two workers) acting at once cannot both succeed. ``IllegalTransition``
and ``StaleState`` (appeals.errors) carry a sentence for the person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

from appeals.errors import IllegalTransition, StaleState
from appeals.models import (
    Appeal,
    AppealStatus,
    DecisionProposal,
    HarmReport,
    ImportRun,
    Letter,
    OutboundEmail,
    Referral,
    ReferralStatus,
    TransparencyReport,
)
from appeals.models.retraction import Retraction, RetractionStatus

__all__ = [
    "APPEAL",
    "APPEAL_TRANSITIONS",
    "EMAIL",
    "HARM_REPORT",
    "IMPORT",
    "LETTER",
    "MACHINES",
    "PROPOSAL",
    "REFERRAL",
    "REFERRAL_TRANSITIONS",
    "RETRACTION",
    "RETRACTION_TRANSITIONS",
    "TRANSPARENCY_REPORT",
    "IllegalTransition",
    "Machine",
    "StaleState",
    "appeal_transition",
    "can_transition",
    "retraction_transition",
    "transition",
    "update_if_unchanged",
]


@dataclass(frozen=True)
class Machine:
    """One status field: the model, the field's name, and what may follow what."""

    name: str
    model: type[models.Model]
    field: str
    transitions: Mapping[str, frozenset[str]]

    def allows(self, current: str, target: str) -> bool:
        return target in self.transitions.get(current, frozenset())


def transition(machine: Machine, obj: models.Model, target: str, **fields: Any) -> None:
    """Move ``obj`` to ``target`` and set ``fields``, if its status still holds.

    Raises IllegalTransition if the table has no such change from the status the
    caller read, StaleState if the row's status changed since it was read. Either
    way nothing is written. ``fields`` must be plain values (they are set on ``obj``).
    """
    current = getattr(obj, machine.field)
    if not machine.allows(current, target):
        raise IllegalTransition(machine=machine.name, current=current, target=target)
    updated = machine.model._default_manager.filter(pk=obj.pk, **{machine.field: current}).update(
        **{machine.field: target}, **fields
    )
    if updated != 1:
        raise StaleState(machine=machine.name, pk=obj.pk, expected=current)
    setattr(obj, machine.field, target)
    for name, value in fields.items():
        setattr(obj, name, value)


def update_if_unchanged(machine: Machine, obj: models.Model, **fields: Any) -> None:
    """Set ``fields`` without changing the status, if the status still holds
    (StaleState otherwise): for changes that are valid only in the status read."""
    current = getattr(obj, machine.field)
    updated = machine.model._default_manager.filter(pk=obj.pk, **{machine.field: current}).update(
        **fields
    )
    if updated != 1:
        raise StaleState(machine=machine.name, pk=obj.pk, expected=current)
    for name, value in fields.items():
        setattr(obj, name, value)


# --- Appeals -----------------------------------------------------------------------

S = AppealStatus

APPEAL_TRANSITIONS: dict[str, frozenset[str]] = {
    # Received, nobody assigned yet.
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.AWAITING_APPELLANT, S.WITHDRAWN}),
    # Assigned to a reviewer, who may release it, ask, decide or propose a decision.
    S.UNDER_REVIEW: frozenset(
        {S.SUBMITTED, S.AWAITING_APPELLANT, S.DECIDED, S.AWAITING_SECOND_REVIEW, S.WITHDRAWN}
    ),
    S.AWAITING_APPELLANT: frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.WITHDRAWN}),
    # Four-eyes: approved (decided) or returned to the reviewer.
    S.AWAITING_SECOND_REVIEW: frozenset({S.DECIDED, S.UNDER_REVIEW, S.WITHDRAWN}),
    # A decision found wrong is retracted and goes back to the queue (corrections).
    S.DECIDED: frozenset({S.SUBMITTED}),
    S.WITHDRAWN: frozenset(),
}
APPEAL = Machine("appeal", Appeal, "status", APPEAL_TRANSITIONS)


def can_transition(current: str, target: str) -> bool:
    return APPEAL.allows(current, target)


def appeal_transition(appeal: Appeal, target: AppealStatus, **fields: Any) -> None:
    """Move ``appeal`` to ``target`` and set ``fields``, if its status still holds."""
    transition(APPEAL, appeal, target, **fields)


# --- Retraction orders (to the platform) -------------------------------------------

R = RetractionStatus

RETRACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    R.ORDERED: frozenset({R.DONE, R.DISPUTED, R.ESCALATED, R.CANCELLED}),
    # Supervisors chase; the platform may still do it or dispute it.
    R.ESCALATED: frozenset({R.DONE, R.DISPUTED, R.CANCELLED}),
    # A disputed order stands until done, or the decision is corrected.
    R.DISPUTED: frozenset({R.DONE, R.CANCELLED}),
    R.DONE: frozenset(),
    R.CANCELLED: frozenset(),
}
RETRACTION = Machine("retraction order", Retraction, "status", RETRACTION_TRANSITIONS)


def retraction_transition(retraction: Retraction, target: RetractionStatus, **fields: Any) -> None:
    """Move a retraction order to ``target`` if its status still holds (compare-and-set)."""
    transition(RETRACTION, retraction, target, **fields)


# --- Harm reports and their referrals ----------------------------------------------

# Nothing closes a report yet; the table says what closing would be.
HARM_REPORT = Machine(
    "harm report",
    HarmReport,
    "status",
    {
        HarmReport.Status.OPEN: frozenset({HarmReport.Status.CLOSED}),
        HarmReport.Status.CLOSED: frozenset(),
    },
)

F = ReferralStatus

REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    F.QUEUED: frozenset({F.SENT, F.ESCALATED}),
    F.SENT: frozenset({F.ACKNOWLEDGED, F.ACTIONED, F.REFUSED, F.ESCALATED}),
    F.ACKNOWLEDGED: frozenset({F.ACTIONED, F.REFUSED, F.ESCALATED}),
    # Overdue (the deadline sweep); staff record what the platform then did.
    F.ESCALATED: frozenset({F.SENT, F.ACKNOWLEDGED, F.ACTIONED, F.REFUSED}),
    F.ACTIONED: frozenset(),
    F.REFUSED: frozenset(),
}
REFERRAL = Machine("referral", Referral, "status", REFERRAL_TRANSITIONS)


# --- Four-eyes decision proposals --------------------------------------------------

P = DecisionProposal.State

PROPOSAL = Machine(
    "decision proposal",
    DecisionProposal,
    "state",
    {
        # A second reviewer approves or returns it; withdrawing the appeal cancels it.
        P.PENDING: frozenset({P.APPROVED, P.RETURNED, P.CANCELLED}),
        P.APPROVED: frozenset(),
        P.RETURNED: frozenset(),
        P.CANCELLED: frozenset(),
    },
)


# --- Work done by workers: letters, emails, imports, transparency reports ---------

LETTER = Machine(
    "letter",
    Letter,
    "status",
    {
        # Only the first render to finish issues it; the PDF never changes afterwards.
        Letter.Status.PENDING: frozenset({Letter.Status.ISSUED}),
        Letter.Status.ISSUED: frozenset(),
    },
)

EMAIL = Machine(
    "outbound email",
    OutboundEmail,
    "status",
    {
        OutboundEmail.Status.QUEUED: frozenset({OutboundEmail.Status.SENT}),
        OutboundEmail.Status.SENT: frozenset(),
    },
)

_I = ImportRun.Status

IMPORT = Machine(
    "import",
    ImportRun,
    "status",
    {
        _I.QUEUED: frozenset({_I.RUNNING}),
        # Running again: a run whose worker stopped midway resumes from its last batch.
        _I.RUNNING: frozenset({_I.RUNNING, _I.DONE, _I.FAILED}),
        _I.FAILED: frozenset({_I.RUNNING}),
        _I.DONE: frozenset(),
    },
)

_T = TransparencyReport.Status

TRANSPARENCY_REPORT = Machine(
    "transparency report",
    TransparencyReport,
    "status",
    {
        _T.QUEUED: frozenset({_T.RUNNING}),
        # Running again: a build whose worker stopped midway starts over.
        _T.RUNNING: frozenset({_T.RUNNING, _T.DONE, _T.FAILED}),
        _T.FAILED: frozenset({_T.RUNNING}),
        _T.DONE: frozenset(),
    },
)

MACHINES: tuple[Machine, ...] = (
    APPEAL,
    RETRACTION,
    HARM_REPORT,
    REFERRAL,
    PROPOSAL,
    LETTER,
    EMAIL,
    IMPORT,
    TRANSPARENCY_REPORT,
)
