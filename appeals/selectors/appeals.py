"""Permission-scoped reads. Each returns only what the user may see, or raises Http404."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from appeals.evidence_types import served_type
from appeals.models import (
    Appeal,
    AppealDraft,
    AppealMessage,
    AuditAction,
    AuditEvent,
    EvidenceFile,
    Letter,
    OutOfCourtBody,
    Platform,
    Takedown,
    User,
)

# What the appellant's timeline may show. Staff-only events (evidence opened,
# internal notes, assignments) never appear on the appellant's page.
APPELLANT_TIMELINE_ACTIONS = (
    AuditAction.APPEAL_FILED,
    AuditAction.APPEAL_EVIDENCE_ADDED,
    AuditAction.APPEAL_MESSAGE_POSTED,
    AuditAction.APPEAL_INFORMATION_REQUESTED,
    AuditAction.APPEAL_INFORMATION_PROVIDED,
    AuditAction.APPEAL_WITHDRAWN,
    AuditAction.APPEAL_DECIDED,
    AuditAction.APPEAL_DECISION_APPROVED,
)

MY_CASES_LIMIT = 50


def appeal_get_for_appellant(user: User, reference: str) -> Appeal:
    appeal = (
        Appeal.objects.select_related("takedown__platform", "jurisdiction")
        .filter(reference=reference.upper(), appellant_id=user.pk)
        .first()
    )
    if appeal is None:
        raise Http404
    return appeal


def appeals_for_appellant(user: User, *, limit: int = MY_CASES_LIMIT) -> list[Appeal]:
    """The person's appeals, newest first (one indexed query), with only the columns
    the list shows: a case's full row and its takedown's are several times wider."""
    return list(
        Appeal.objects.filter(appellant_id=user.pk)
        .select_related("takedown__platform", "jurisdiction")
        .only(
            "reference",
            "status",
            "filed_at",
            "due_at",
            "decided_at",
            "closed_at",
            "takedown__platform__name",
            "jurisdiction__time_zone",
        )
        .order_by("-filed_at")[:limit]
    )


def drafts_for_owner(user: User, *, limit: int = 10) -> list[AppealDraft]:
    return list(
        AppealDraft.objects.filter(owner_id=user.pk, appeal__isnull=True).order_by("-updated_at")[
            :limit
        ]
    )


def draft_get_for_owner(user: User, draft_id: uuid.UUID) -> AppealDraft:
    draft = AppealDraft.objects.filter(pk=draft_id, owner_id=user.pk).first()
    if draft is None:
        raise Http404
    return draft


def evidence_get_for_appellant(user: User, reference: str, evidence_id: uuid.UUID) -> EvidenceFile:
    """A file of the user's own appeal, fetched under that appeal (wrong parent: 404)."""
    evidence = (
        EvidenceFile.objects.select_related("appeal")
        .filter(
            pk=evidence_id,
            appeal__reference=reference.upper(),
            appeal__appellant_id=user.pk,
        )
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


def evidence_served_name(evidence: EvidenceFile) -> str:
    """The name the portal gives a file it serves: ``<case reference>-<n>.<type>``,
    n its place among the case's files and the type the one detected from its
    content. The uploader's name is never used, so "notes.hta" leaves as ".txt"."""
    if evidence.appeal_id is not None:
        siblings = EvidenceFile.objects.filter(appeal_id=evidence.appeal_id)
        reference = evidence.appeal.reference  # type: ignore[union-attr]
    elif evidence.harm_report_id is not None:
        siblings = EvidenceFile.objects.filter(harm_report_id=evidence.harm_report_id)
        reference = evidence.harm_report.reference  # type: ignore[union-attr]
    else:
        siblings = EvidenceFile.objects.filter(draft_id=evidence.draft_id, appeal__isnull=True)
        reference = "draft"
    earlier = siblings.filter(
        Q(uploaded_at__lt=evidence.uploaded_at)
        | Q(uploaded_at=evidence.uploaded_at, id__lt=evidence.id)
    ).count()
    return f"{reference}-{earlier + 1}.{served_type(evidence.mime).extension}"


def evidence_get_for_draft(user: User, draft_id: uuid.UUID, evidence_id: uuid.UUID) -> EvidenceFile:
    evidence = EvidenceFile.objects.filter(
        pk=evidence_id, draft_id=draft_id, draft__owner_id=user.pk, appeal__isnull=True
    ).first()
    if evidence is None:
        raise Http404
    return evidence


def evidence_of_draft(draft: AppealDraft) -> list[EvidenceFile]:
    """The files on the person's own draft (the caller has the draft in scope)."""
    return list(EvidenceFile.objects.filter(draft=draft, appeal__isnull=True))


def takedown_find(platform: Platform, reference: str) -> Takedown | None:
    reference = reference.strip()
    if not reference:
        return None
    return (
        Takedown.objects.filter(platform=platform)
        .filter(Q(platform_reference__iexact=reference) | Q(platform_item_id=reference))
        .select_related("platform")
        .first()
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str
    label: str


def appeal_timeline_for_appellant(appeal: Appeal) -> list[TimelineEntry]:
    events = (
        AuditEvent.objects.filter(appeal=appeal, action__in=APPELLANT_TIMELINE_ACTIONS)
        .only("occurred_at", "action")
        .order_by("id")
    )
    return [
        TimelineEntry(at=e.occurred_at, action=e.action, label=str(AuditAction(e.action).label))
        for e in events
    ]


def out_of_court_bodies_for(appeal: Appeal) -> list[OutOfCourtBody]:
    return list(
        OutOfCourtBody.objects.filter(jurisdictions=appeal.jurisdiction_id).order_by("name")
    )


def appeal_messages_for_appellant(appeal: Appeal) -> list[AppealMessage]:
    return list(
        AppealMessage.objects.filter(appeal=appeal)
        .prefetch_related("attachments")
        .order_by("created_at")
    )


def letters_for_appellant(appeal: Appeal) -> list[Letter]:
    return list(Letter.objects.filter(appeal=appeal).order_by("requested_at"))


def letter_get_for_appellant(user: User, reference: str, letter_id: uuid.UUID) -> Letter:
    letter = Letter.objects.filter(
        pk=letter_id,
        appeal__reference=reference.upper(),
        appeal__appellant_id=user.pk,
        status=Letter.Status.ISSUED,
    ).first()
    if letter is None:
        raise Http404
    return letter


def appeals_for_platform(platform: Platform) -> QuerySet[Appeal]:
    """The appeals against ``platform``'s decisions, oldest first (its API key's view)."""
    return Appeal.objects.filter(platform=platform).select_related("takedown").order_by("id")
