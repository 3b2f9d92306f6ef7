"""Correcting a decision that proved wrong: a supervisor withdraws it, with reasons.

Not to be confused with a retraction order (services/retractions.py), which orders a
platform to restore content. The columns (``Decision.retracted_at``…) and the audit
action (``decision.retracted``) keep their first names; the code says "correct".
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.deadlines import due_at_for, reminder_time
from appeals.errors import Refused
from appeals.models import Appeal, AppealStatus, AuditAction, CaseType, Decision, Priority, User
from appeals.permissions import has_role
from appeals.roles import Role
from appeals.services.audit import audit_record
from appeals.services.emails import email_send_template
from appeals.services.letters import letters_supersede
from appeals.services.retractions import retractions_cancel_for
from appeals.states import appeal_transition


class CorrectionRefused(Refused):
    """A decision cannot be retracted (appeals.errors.Refused)."""


def decision_correct(
    *, decision: Decision, supervisor: User, reasons: str, now: datetime | None = None
) -> Appeal:
    """A supervisor withdraws an issued decision found to be wrong, with reasons.

    The case goes back to the queue for a different reviewer (the one who decided
    now has a conflict), the old letter is marked superseded, open retraction orders
    are cancelled, and the next decision is sent as a correction letter.
    """
    now = now or timezone.now()
    if not has_role(supervisor, Role.SUPERVISOR):
        raise CorrectionRefused(_("Only supervisors can withdraw a decision."))
    if not reasons.strip():
        raise CorrectionRefused(_("Give the reasons for withdrawing the decision."))
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.retracted_at is not None:
            raise CorrectionRefused(_("This decision was already withdrawn."))
        appeal = (
            Appeal.objects.select_for_update()
            .select_related("jurisdiction", "appellant")
            .get(pk=decision.appeal_id)
        )
        Decision.objects.filter(pk=decision.pk).update(
            retracted_at=now, retracted_by=supervisor, retraction_reasons=reasons.strip()
        )
        letters_supersede(decision=decision, now=now)
        retractions_cancel_for(decision=decision, now=now)
        due = due_at_for(
            appeal.jurisdiction, CaseType.APPEAL_DECISION, Priority(appeal.priority), now
        )
        appeal_transition(
            appeal,
            AppealStatus.SUBMITTED,
            assigned_to=None,
            assigned_at=None,
            decided_at=None,
            due_at=due,
            remind_at=reminder_time(filed_at=now, due_at=due),
            reminded_at=None,
            breached_at=None,
        )
        audit_record(
            action=AuditAction.DECISION_RETRACTED,
            actor=supervisor,
            target=appeal,
            details={"decision": decision.pk, "due_at": due.isoformat()},
            occurred_at=now,
        )
        email_send_template(
            template="decision_corrected",
            to=[appeal.appellant.email],
            context={"appeal": appeal},
            language=appeal.language,
        )
    return appeal
