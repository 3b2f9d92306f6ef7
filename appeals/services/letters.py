"""Letters: requested inside the transaction that causes them, rendered by a worker.

A letter is rendered once: the row is created ``pending`` (unique per appeal,
kind and subject), and only the first render to finish turns it ``issued``
(compare-and-set); a second worker's copy is thrown away. The stored PDF and
its SHA-256 never change afterwards.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_q.tasks import async_task

from appeals.deadlines import retraction_due
from appeals.models import (
    Appeal,
    AppealMessage,
    AuditAction,
    Decision,
    Letter,
    OutOfCourtBody,
)
from appeals.models.letter import letter_path
from appeals.pdf import render_pdf, sign_pdf
from appeals.services.audit import audit_record
from appeals.states import LETTER, StaleState, transition
from appeals.tasks import enqueue

TEMPLATES = {
    Letter.Kind.ACKNOWLEDGEMENT: "letters/acknowledgement.html",
    Letter.Kind.INFORMATION_REQUEST: "letters/information_request.html",
    Letter.Kind.DECISION: "letters/decision.html",
    Letter.Kind.CORRECTION: "letters/correction.html",
}


def letter_request(
    *, appeal: Appeal, kind: Letter.Kind, subject_key: str, decision: Decision | None = None
) -> Letter:
    """Ask for a letter; call inside the causing transaction. Asking twice is harmless."""
    letter, created = Letter.objects.get_or_create(
        appeal=appeal,
        kind=kind,
        subject_key=subject_key,
        defaults={"language": appeal.language, "decision": decision},
    )
    if created:
        enqueue("appeals.tasks.render_letter", str(letter.pk), task_name=f"letter-{letter.pk}")
    return letter


def letter_context(letter: Letter) -> dict[str, Any]:
    appeal = letter.appeal
    context: dict[str, Any] = {
        "letter": letter,
        "appeal": appeal,
        "takedown": appeal.takedown,
        "jurisdiction": appeal.jurisdiction,
        "out_of_court_bodies": list(
            OutOfCourtBody.objects.filter(jurisdictions=appeal.jurisdiction_id).order_by("name")
        ),
        "issued_on": timezone.now(),
    }
    if letter.kind in (Letter.Kind.DECISION, Letter.Kind.CORRECTION):
        if letter.decision_id is None:
            raise ValueError(f"letter {letter.pk} has no decision")
        decision = Decision.objects.select_related("decided_by", "approved_by").get(
            pk=letter.decision_id
        )
        context["decision"] = decision
        context["remedies"] = [str(label) for label in _remedy_labels(decision)]
        if decision.remedies_ordered:
            context["retraction_due"] = retraction_due(appeal.jurisdiction, decision.decided_at)
    if letter.kind == Letter.Kind.INFORMATION_REQUEST:
        context["question"] = AppealMessage.objects.get(pk=letter.subject_key)
    if letter.kind == Letter.Kind.CORRECTION:
        context["previous_letter"] = (
            Letter.objects.filter(decision=decision.corrects).order_by("-requested_at").first()
            if decision.corrects_id
            else None
        )
    return context


def _remedy_labels(decision: Decision) -> list[Any]:
    from appeals.models.appeal import OrderedRemedy

    return [OrderedRemedy(r).label for r in decision.remedies_ordered if r in OrderedRemedy.values]


def letter_html(letter: Letter) -> str:
    with translation.override(letter.language):
        return render_to_string(TEMPLATES[Letter.Kind(letter.kind)], letter_context(letter))


def letter_render(*, letter_id: str) -> bool:
    """Render, sign and store a pending letter. Returns False if it was already issued."""
    # The case in its own query by primary key (see _issued).
    letter = Letter.objects.prefetch_related(
        Prefetch(
            "appeal",
            queryset=Appeal.objects.select_related(
                "takedown__platform", "jurisdiction", "appellant"
            ),
        )
    ).get(pk=letter_id)
    if letter.status == Letter.Status.ISSUED:
        return False
    Letter.objects.filter(pk=letter.pk).update(attempts=F("attempts") + 1)
    try:
        with translation.override(letter.language):
            reason = str(letter.get_kind_display())
        pdf = sign_pdf(render_pdf(letter_html(letter)), reason=reason)
    except Exception as exc:
        # Kept for staff to see; django-q2 retries the task.
        Letter.objects.filter(pk=letter.pk).update(last_error=repr(exc)[:2000])
        raise
    digest = hashlib.sha256(pdf).hexdigest()
    storage = letter.file.storage
    name = storage.save(letter_path(letter, ""), ContentFile(pdf))
    now = timezone.now()
    with transaction.atomic():
        try:
            transition(
                LETTER,
                letter,
                Letter.Status.ISSUED,
                file=name,
                sha256=digest,
                size=len(pdf),
                issued_at=now,
                last_error="",
            )
            won = True
        except StaleState:
            won = False  # another worker issued it first
        if won:
            audit_record(
                action=AuditAction.LETTER_ISSUED,
                target=letter.appeal,
                details={"letter": str(letter.pk), "kind": letter.kind, "sha256": digest},
                occurred_at=now,
            )
    if not won:
        storage.delete(name)
    return won


@dataclass(frozen=True)
class Verification:
    found: bool
    letter: Letter | None = None

    @property
    def superseded(self) -> bool:
        return bool(self.letter and self.letter.superseded_at)


def _issued() -> Any:
    # The case and the decision in their own queries, by primary key: joined to the
    # letter, PostgreSQL may walk the whole appeals index when the small letters
    # table's statistics predate the newest cases (seen in make bench: 380 ms).
    return (
        Letter.objects.filter(status=Letter.Status.ISSUED)
        .select_related("superseded_by")
        .prefetch_related("appeal", "decision")
    )


def letter_verify_code(code: str) -> Verification:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != 12:
        return Verification(found=False)
    formatted = f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}"
    letter = _issued().filter(verification_code=formatted).first()
    return Verification(found=letter is not None, letter=letter)


def letter_verify_file(chunks: Any) -> Verification:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    letter = _issued().filter(sha256=digest.hexdigest()).first()
    return Verification(found=letter is not None, letter=letter)


def letters_supersede(*, decision: Decision, now: datetime | None = None) -> int:
    """A retracted decision's letters stop being valid (the verification page says so);
    the correction letter, once the case is decided again, is linked to them."""
    now = now or timezone.now()
    return Letter.objects.filter(decision=decision, superseded_at__isnull=True).update(
        superseded_at=now
    )


def letter_retry_due(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Queue again the letters still pending after ``older_than`` (a lost task)."""
    cutoff = timezone.now() - older_than
    ids = list(
        Letter.objects.filter(status=Letter.Status.PENDING, requested_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:100]
    )
    for pk in ids:
        async_task("appeals.tasks.render_letter", str(pk), task_name=f"letter-{pk}-retry")
    return len(ids)
