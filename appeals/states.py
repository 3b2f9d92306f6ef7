"""The appeal state machine: allowed transitions, in one table.

Services change an appeal's status only through ``appeal_transition``, which
updates the row only if its status is still the one the caller read
(compare-and-set), so two people acting at once cannot both succeed.
"""

from __future__ import annotations

from typing import Any

from appeals.models import Appeal, AppealStatus

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


class IllegalTransition(Exception):
    """The transition is not in the table."""


class StaleState(Exception):
    """Someone else changed the appeal first; reload and try again."""


def can_transition(current: str, target: str) -> bool:
    return target in APPEAL_TRANSITIONS.get(current, frozenset())


def appeal_transition(appeal: Appeal, target: AppealStatus, **fields: Any) -> None:
    """Move ``appeal`` to ``target`` and set ``fields``, if its status still holds."""
    if not can_transition(appeal.status, target):
        raise IllegalTransition(f"{appeal.reference}: {appeal.status} → {target} is not allowed")
    updated = Appeal.objects.filter(pk=appeal.pk, status=appeal.status).update(
        status=target, **fields
    )
    if updated != 1:
        raise StaleState(f"{appeal.reference} changed while you were working on it")
    appeal.status = target
    for name, value in fields.items():
        setattr(appeal, name, value)


# --- Retractions -------------------------------------------------------------------

from appeals.models.retraction import Retraction, RetractionStatus  # noqa: E402

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


def retraction_transition(retraction: Retraction, target: RetractionStatus, **fields: Any) -> None:
    """Move a retraction to ``target`` if its status still holds (compare-and-set)."""
    if target not in RETRACTION_TRANSITIONS.get(retraction.status, frozenset()):
        raise IllegalTransition(f"retraction {retraction.pk}: {retraction.status} → {target}")
    updated = Retraction.objects.filter(pk=retraction.pk, status=retraction.status).update(
        status=target, **fields
    )
    if updated != 1:
        raise StaleState(f"retraction {retraction.pk} changed meanwhile")
    retraction.status = target
    for name, value in fields.items():
        setattr(retraction, name, value)
