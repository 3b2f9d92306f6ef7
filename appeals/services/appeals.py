"""The appellant's side of an appeal: filing, messages, information requests, withdrawal.

Each function is one transaction that writes one audit event; emails are
queued to run after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import sla
from appeals.deadlines import appeal_window_check, due_at_for, reminder_time
from appeals.errors import Refused
from appeals.models import (
    Appeal,
    AppealDraft,
    AppealMessage,
    AppealStatus,
    AuditAction,
    CaseType,
    ClockPause,
    DecisionProposal,
    EvidenceFile,
    Jurisdiction,
    Letter,
    Mandate,
    Membership,
    Platform,
    Priority,
    StatKind,
    Takedown,
    User,
)
from appeals.models.appeal import new_reference
from appeals.permissions import can_act_on_case
from appeals.services.audit import audit_record
from appeals.services.emails import email_send_template
from appeals.services.letters import letter_request
from appeals.services.misuse import refusal_if_suspended
from appeals.services.stats import stat_record
from appeals.states import PROPOSAL, appeal_transition, transition


class AppealRefused(Refused):
    """The appeal cannot be accepted; ``message`` says why, in the user's language."""


@dataclass(frozen=True)
class TakedownDescription:
    """What a person tells us about a decision we have no record of."""

    content_url: str
    measures: list[str]
    decision_ground: str
    rule_cited: str
    decided_on: date | None
    statement_text: str
    content_types: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AppealSubmission:
    platform: Platform
    platform_reference: str
    jurisdiction: Jurisdiction
    takedown: Takedown | None
    description: TakedownDescription | None
    informed_on: date
    late_reason: str
    grounds: str
    remedies: list[str]
    language: str
    mandate: Mandate | None = None


def _takedown_for(submission: AppealSubmission, actor: User, now: datetime) -> Takedown:
    if submission.takedown is not None:
        return submission.takedown
    description = submission.description
    if description is None:
        raise AppealRefused(_("Tell us what the platform did."))
    ground = description.decision_ground
    takedown = Takedown.objects.create(
        platform=submission.platform,
        # A reference we could not match stays with the appeal, not as a unique key.
        platform_reference="",
        content_url=description.content_url,
        content_types=description.content_types,
        measures=description.measures,
        decision_ground=ground,
        legal_provision=description.rule_cited if ground.endswith("ILLEGAL_CONTENT") else "",
        terms_clause=description.rule_cited if ground.endswith("INCOMPATIBLE_CONTENT") else "",
        decided_on=description.decided_on,
        statement_text=description.statement_text,
        source=Takedown.Source.DESCRIBED,
    )
    audit_record(
        action=AuditAction.TAKEDOWN_RECORDED,
        actor=actor,
        target=takedown,
        details={"source": "described", "platform_reference": submission.platform_reference},
        occurred_at=now,
    )
    return takedown


def appeal_submit(
    *,
    appellant: User,
    draft: AppealDraft,
    submission: AppealSubmission,
    now: datetime | None = None,
) -> Appeal:
    """File an appeal from a draft. Submitting the same draft twice returns the same appeal.

    Enforces the appeal window (DSA Art. 20(1)) and sets the decision deadline
    from the jurisdiction's policy (by default 14 calendar days).
    """
    now = now or timezone.now()
    refusal = refusal_if_suspended(appellant)
    if refusal:
        raise AppealRefused(refusal)
    with transaction.atomic():
        locked = AppealDraft.objects.select_for_update().get(pk=draft.pk, owner=appellant)
        if locked.appeal_id is not None:
            return Appeal.objects.get(pk=locked.appeal_id)
        window = appeal_window_check(
            jurisdiction=submission.jurisdiction, informed_on=submission.informed_on, at=now
        )
        problem = window.problem(late_reason=submission.late_reason)
        if problem is not None:
            raise AppealRefused(problem.message)
        if not submission.grounds.strip():
            raise AppealRefused(_("Tell us why you think the decision was wrong."))

        priority = Priority.STANDARD
        if submission.mandate is not None:
            _check_mandate(submission.mandate, appellant)
            priority = Priority.PRIORITY  # DSA Art. 86: mandated bodies' appeals go first
        takedown = _takedown_for(submission, appellant, now)
        due = due_at_for(submission.jurisdiction, CaseType.APPEAL_DECISION, priority, now)
        appeal = Appeal.objects.create(
            reference=_unused_reference(),
            appellant=appellant,
            takedown=takedown,
            jurisdiction=submission.jurisdiction,
            informed_on=submission.informed_on,
            late_reason=submission.late_reason.strip() if window.late else "",
            grounds=submission.grounds.strip(),
            remedies=submission.remedies,
            language=submission.language,
            filed_at=now,
            due_at=due,
            remind_at=reminder_time(filed_at=now, due_at=due),
            platform=takedown.platform,
            category=takedown.category,
            priority=priority,
            priority_rank=0 if priority == Priority.PRIORITY else 1,
            mandate=submission.mandate,
            submission_key=locked.pk,
        )
        evidence = list(
            EvidenceFile.objects.filter(draft=locked, appeal__isnull=True).values_list(
                "id", "sha256"
            )
        )
        EvidenceFile.objects.filter(draft=locked, appeal__isnull=True).update(appeal=appeal)
        locked.appeal = appeal
        locked.save(update_fields=["appeal", "updated_at"])
        audit_record(
            action=AuditAction.APPEAL_FILED,
            actor=appellant,
            target=appeal,
            details={
                "takedown": str(takedown.public_id),
                "platform_reference": submission.platform_reference,
                "due_at": due.isoformat(),
                "late": window.late,
                "evidence": [{"id": str(i), "sha256": h} for i, h in evidence],
            },
            occurred_at=now,
        )
        stat_record(
            kind=StatKind.APPEAL_RECEIVED,
            at=now,
            time_zone=submission.jurisdiction.time_zone,
            jurisdiction=submission.jurisdiction.code,
            platform=takedown.platform.slug,
            category=takedown.category,
        )
        letter_request(appeal=appeal, kind=Letter.Kind.ACKNOWLEDGEMENT, subject_key="receipt")
        email_send_template(
            template="appeal_received",
            to=[appellant.email],
            context={"appeal": appeal, "takedown": takedown},
            language=appeal.language,
        )
    return appeal


def _check_mandate(mandate: Mandate, appellant: User) -> None:
    organisation = mandate.organisation
    member = Membership.objects.filter(
        organisation=organisation, user=appellant, joined_at__isnull=False
    ).exists()
    if (
        mandate.revoked_at is not None
        or not organisation.is_mandated_body
        or not organisation.is_verified
        or not member
    ):
        raise AppealRefused(_("This mandate cannot be used for an appeal."))


def active_mandates_for(user: User) -> Any:
    """Mandates a member of a verified mandated body may appeal under."""
    return Mandate.objects.filter(
        revoked_at__isnull=True,
        organisation__is_mandated_body=True,
        organisation__verified_at__isnull=False,
        organisation__members__user=user,
        organisation__members__joined_at__isnull=False,
    ).select_related("principal", "organisation")


def _unused_reference() -> str:
    for _attempt in range(10):
        reference = new_reference("APL")
        if not Appeal.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("could not find an unused appeal reference")  # 30^8 space: never


def appeal_request_information(
    *, appeal: Appeal, reviewer: User, question: str, now: datetime | None = None
) -> AppealMessage:
    """Ask the appellant for more information. The decision clock stops until they answer.

    Only the assigned reviewer, or a supervisor, may ask.
    """
    now = now or timezone.now()
    if not question.strip():
        raise AppealRefused(_("Write the question for the appellant."))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if not can_act_on_case(reviewer, appeal):
            raise AppealRefused(_("Only the assigned reviewer or a supervisor can ask."))
        if appeal.status != AppealStatus.UNDER_REVIEW:
            raise AppealRefused(_("Questions can be asked only while the case is under review."))
        previous = appeal.status
        appeal_transition(appeal, AppealStatus.AWAITING_APPELLANT, paused_at=now)
        ClockPause.objects.create(appeal=appeal, paused_at=now, status_before=previous)
        message = AppealMessage.objects.create(
            appeal=appeal,
            author=reviewer,
            from_staff=True,
            kind=AppealMessage.Kind.INFORMATION_REQUEST,
            body=question.strip(),
            created_at=now,
        )
        audit_record(
            action=AuditAction.APPEAL_INFORMATION_REQUESTED,
            actor=reviewer,
            target=appeal,
            details={"message": str(message.id)},
            occurred_at=now,
        )
        letter_request(
            appeal=appeal, kind=Letter.Kind.INFORMATION_REQUEST, subject_key=str(message.id)
        )
        email_send_template(
            template="information_requested",
            to=[appeal.appellant.email],
            context={"appeal": appeal},
            language=appeal.language,
        )
    return message


def _resume_clock(appeal: Appeal, now: datetime) -> None:
    pause = appeal.clock_pauses.filter(resumed_at__isnull=True).order_by("-paused_at").first()
    paused_at = appeal.paused_at or (pause.paused_at if pause else now)
    # Back to review if someone holds the case (they may have been assigned during
    # the pause), otherwise back to the queue.
    back_to = AppealStatus.UNDER_REVIEW if appeal.assigned_to_id else AppealStatus.SUBMITTED
    new_due = sla.resume(due_at=appeal.due_at, paused_at=paused_at, resumed_at=now)
    fields: dict[str, Any] = {"paused_at": None, "due_at": new_due}
    if appeal.remind_at is not None:
        fields["remind_at"] = sla.resume(
            due_at=appeal.remind_at, paused_at=paused_at, resumed_at=now
        )
    appeal_transition(appeal, back_to, **fields)
    if pause is not None:
        pause.resumed_at = now
        pause.save(update_fields=["resumed_at"])
    appeal.messages.filter(
        kind=AppealMessage.Kind.INFORMATION_REQUEST, answered_at__isnull=True
    ).update(answered_at=now)


def appeal_message_post(
    *, appeal: Appeal, author: User, body: str, now: datetime | None = None
) -> AppealMessage:
    """The appellant writes to the reviewers. If we were waiting for their answer,
    this is the answer: the clock restarts and the deadline moves by the pause."""
    now = now or timezone.now()
    if not body.strip():
        raise AppealRefused(_("Write your message."))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if not appeal.is_open:
            raise AppealRefused(
                _(
                    "This appeal is closed, so it cannot take messages. "
                    "See the decision for what you can do next."
                )
            )
        message = AppealMessage.objects.create(
            appeal=appeal, author=author, body=body.strip(), created_at=now
        )
        answered = appeal.status == AppealStatus.AWAITING_APPELLANT
        if answered:
            _resume_clock(appeal, now)
        audit_record(
            action=(
                AuditAction.APPEAL_INFORMATION_PROVIDED
                if answered
                else AuditAction.APPEAL_MESSAGE_POSTED
            ),
            actor=author,
            target=appeal,
            details={"message": str(message.id), "due_at": appeal.due_at.isoformat()},
            occurred_at=now,
        )
    return message


def appeal_withdraw(*, appeal: Appeal, by: User, now: datetime | None = None) -> Appeal:
    """The appellant stops their appeal. Nothing is deleted: the record stays."""
    now = now or timezone.now()
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if not appeal.is_open:
            raise AppealRefused(_("This appeal is already closed."))
        appeal.clock_pauses.filter(resumed_at__isnull=True).update(resumed_at=now)
        pending = DecisionProposal.objects.filter(
            appeal=appeal, state=DecisionProposal.State.PENDING
        ).select_for_update()
        for proposal in pending:
            transition(PROPOSAL, proposal, DecisionProposal.State.CANCELLED, reviewed_at=now)
        appeal_transition(appeal, AppealStatus.WITHDRAWN, closed_at=now, paused_at=None)
        audit_record(action=AuditAction.APPEAL_WITHDRAWN, actor=by, target=appeal, occurred_at=now)
    return appeal
