"""Filing an appeal, one question group per page, saved on the server after every step.

Steps: takedown → details → grounds → evidence → check. Each step's raw input
is kept in the draft even when it does not validate, so an error or a reload
never loses what the person typed; files are stored as soon as they are sent.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appeals.errors import Refused
from appeals.forms import (
    CheckAnswersForm,
    DescribeTakedownForm,
    EvidenceUploadForm,
    GroundsForm,
    KnownTakedownForm,
    TakedownStepForm,
)
from appeals.models import (
    AppealDraft,
    EvidenceFile,
    Jurisdiction,
    Mandate,
    Platform,
    Remedy,
    Takedown,
    User,
)
from appeals.selectors import draft_get_for_owner, evidence_get_for_draft, takedown_find
from appeals.services.appeals import (
    AppealSubmission,
    TakedownDescription,
    active_mandates_for,
    appeal_submit,
)
from appeals.services.evidence import MAX_FILES_PER_CASE, evidence_add, evidence_remove_from_draft
from appeals.vocabulary import DecisionGround, Measure

STEPS = ("takedown", "details", "grounds", "evidence", "check")


# --- Draft storage ------------------------------------------------------------------


def _save_raw(draft: AppealDraft, step: str, form: forms.Form, request: HttpRequest) -> None:
    # Kept as typed so nothing is lost, except NUL characters: nobody types them, the
    # form refuses them with its own message, and PostgreSQL cannot store them in JSON.
    raw = {
        name: [value.replace("\x00", "") for value in request.POST.getlist(name)]
        for name in form.fields
        if name in request.POST
    }
    draft.answers.setdefault("raw", {})[step] = raw


def _initial_from_raw(
    draft: AppealDraft, step: str, form_class: type[forms.Form]
) -> dict[str, Any]:
    raw = draft.answers.get("raw", {}).get(step, {})
    initial: dict[str, Any] = {}
    for name, values in raw.items():
        field = form_class.base_fields.get(name)
        if field is None:
            continue
        initial[name] = values if isinstance(field, forms.MultipleChoiceField) else values[0]
    return initial


def _to_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Platform):
        return value.slug
    if isinstance(value, Jurisdiction):
        return value.code
    if isinstance(value, Mandate):
        return value.pk
    return value


def _save_cleaned(draft: AppealDraft, step: str, cleaned: dict[str, Any]) -> None:
    draft.answers[step] = {k: _to_json(v) for k, v in cleaned.items() if k != "attachments"}
    draft.save(update_fields=["answers", "updated_at"])


def _done(draft: AppealDraft, step: str) -> bool:
    return step in draft.answers


def _first_missing_step(draft: AppealDraft, upto: str) -> str | None:
    for step in STEPS[: STEPS.index(upto)]:
        if step == "evidence":
            continue  # optional
        if not _done(draft, step):
            return step
    return None


def _redirect_to(step: str, draft: AppealDraft) -> HttpResponse:
    return redirect(f"filing_{step}", draft_id=draft.pk)


def _draft(request: HttpRequest, draft_id: uuid.UUID, step: str) -> AppealDraft | HttpResponse:
    draft = draft_get_for_owner(request.user, draft_id)  # type: ignore[arg-type]
    if draft.appeal_id is not None:
        return redirect("appeal_detail", reference=draft.appeal.reference)  # type: ignore[union-attr]
    missing = _first_missing_step(draft, step)
    if missing is not None:
        return _redirect_to(missing, draft)
    return draft


def _matched_takedown(draft: AppealDraft) -> Takedown | None:
    answers = draft.answers.get("takedown", {})
    platform = Platform.objects.filter(slug=answers.get("platform")).first()
    if platform is None:
        return None
    return takedown_find(platform, answers.get("platform_reference", ""))


class DraftOutdated(Exception):
    """A saved answer no longer fits the portal's data (a platform or country was
    renamed, a record removed): the person is asked that step again."""

    def __init__(self, step: str) -> None:
        super().__init__(step)
        self.step = step


def _jurisdiction(draft: AppealDraft) -> Jurisdiction:
    code = draft.answers.get("takedown", {}).get("jurisdiction")
    jurisdiction = Jurisdiction.objects.filter(code=code).first()
    if jurisdiction is None:
        raise DraftOutdated("takedown")
    return jurisdiction


def _ask_again(request: HttpRequest, draft: AppealDraft, step: str) -> HttpResponse:
    draft.answers.pop(step, None)
    draft.save(update_fields=["answers", "updated_at"])
    messages.warning(
        request,
        _("Please check this answer again: something changed since you saved it."),
    )
    return _redirect_to(step, draft)


def _render_step(
    request: HttpRequest, draft: AppealDraft, step: str, context: dict[str, Any]
) -> HttpResponse:
    return render(
        request,
        f"filing/{step}.html",
        {"draft": draft, "step_number": STEPS.index(step) + 1, "step_count": len(STEPS), **context},
    )


def _after(step: str, draft: AppealDraft) -> HttpResponse:
    if "check" in draft.answers.get("visited", []):
        return _redirect_to("check", draft)  # came from a "Change" link
    return _redirect_to(STEPS[STEPS.index(step) + 1], draft)


# --- Views ---------------------------------------------------------------------------


@require_POST
@login_required
def filing_start(request: HttpRequest) -> HttpResponse:
    draft = AppealDraft.objects.create(owner=cast(User, request.user), answers={})
    return _redirect_to("takedown", draft)


@require_http_methods(["GET", "POST"])
@login_required
def filing_takedown(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id, "takedown")
    if isinstance(draft, HttpResponse):
        return draft
    if request.method == "POST":
        form = TakedownStepForm(request.POST)
        _save_raw(draft, "takedown", form, request)
        if form.is_valid():
            previous = draft.answers.get("takedown")
            _save_cleaned(draft, "takedown", form.cleaned_data)
            if previous and previous != draft.answers["takedown"]:
                draft.answers.pop("details", None)  # a different decision: ask again
                draft.save(update_fields=["answers", "updated_at"])
                return _redirect_to("details", draft)
            return _after("takedown", draft)
        draft.save(update_fields=["answers", "updated_at"])
    else:
        form = TakedownStepForm(initial=_initial_from_raw(draft, "takedown", TakedownStepForm))
    return _render_step(request, draft, "takedown", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def filing_details(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id, "details")
    if isinstance(draft, HttpResponse):
        return draft
    takedown = _matched_takedown(draft)
    form_class = KnownTakedownForm if takedown else DescribeTakedownForm
    try:
        jurisdiction = _jurisdiction(draft)
    except DraftOutdated as outdated:
        return _ask_again(request, draft, outdated.step)
    if request.method == "POST":
        form = form_class(request.POST, jurisdiction=jurisdiction)
        _save_raw(draft, "details", form, request)
        if form.is_valid():
            cleaned = dict(form.cleaned_data)
            cleaned["takedown"] = str(takedown.public_id) if takedown else ""
            _save_cleaned(draft, "details", cleaned)
            return _after("details", draft)
        draft.save(update_fields=["answers", "updated_at"])
    else:
        initial = _initial_from_raw(draft, "details", form_class)
        if takedown and "informed_on" not in initial and takedown.decided_on:
            initial["informed_on"] = takedown.decided_on
        form = form_class(initial=initial, jurisdiction=jurisdiction)
    return _render_step(request, draft, "details", {"form": form, "takedown": takedown})


@require_http_methods(["GET", "POST"])
@login_required
def filing_grounds(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id, "grounds")
    if isinstance(draft, HttpResponse):
        return draft
    mandates = active_mandates_for(cast(User, request.user))
    if request.method == "POST":
        form = GroundsForm(request.POST, mandates=mandates)
        _save_raw(draft, "grounds", form, request)
        if form.is_valid():
            _save_cleaned(draft, "grounds", form.cleaned_data)
            return _after("grounds", draft)
        draft.save(update_fields=["answers", "updated_at"])
    else:
        initial = _initial_from_raw(draft, "grounds", GroundsForm)
        initial.setdefault("language", (get_language() or "en")[:2])
        form = GroundsForm(initial=initial, mandates=mandates)
    return _render_step(request, draft, "grounds", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def filing_evidence(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id, "evidence")
    if isinstance(draft, HttpResponse):
        return draft
    form = EvidenceUploadForm()
    if request.method == "POST":
        form = EvidenceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            refused = []
            for upload in form.cleaned_data["attachments"]:
                try:
                    evidence_add(upload=upload, uploaded_by=request.user, draft=draft)  # type: ignore[arg-type]
                except Refused as exc:
                    refused.append(str(exc.message))
            for reason in refused:
                form.add_error("attachments", reason)
            if not refused:
                draft.answers["evidence"] = {"confirmed": True}
                draft.save(update_fields=["answers", "updated_at"])
                if request.POST.get("action") == "upload":
                    messages.success(request, _("Your files were added."))
                    return _redirect_to("evidence", draft)
                return _after("evidence", draft)
    files = list(EvidenceFile.objects.filter(draft=draft, appeal__isnull=True))
    return _render_step(
        request, draft, "evidence", {"form": form, "files": files, "max_files": MAX_FILES_PER_CASE}
    )


@require_POST
@login_required
def filing_evidence_remove(
    request: HttpRequest, draft_id: uuid.UUID, evidence_id: uuid.UUID
) -> HttpResponse:
    evidence = evidence_get_for_draft(request.user, draft_id, evidence_id)  # type: ignore[arg-type]
    name = evidence.original_name
    evidence_remove_from_draft(evidence=evidence)
    messages.success(request, _("“%(name)s” was removed.") % {"name": name})
    return redirect("filing_evidence", draft_id=draft_id)


def _mandate(draft: AppealDraft, mandate_id: Any) -> Mandate | None:
    if not mandate_id:
        return None
    mandate = active_mandates_for(draft.owner).filter(pk=mandate_id).first()
    if mandate is None:
        raise DraftOutdated("grounds")
    return mandate


def _submission(draft: AppealDraft) -> AppealSubmission:
    """Rebuild the domain values from the saved answers (validated again by the service).

    Raises DraftOutdated naming the step to ask again if an answer no longer fits.
    """
    a = draft.answers
    platform = Platform.objects.filter(slug=a.get("takedown", {}).get("platform")).first()
    if platform is None:
        raise DraftOutdated("takedown")
    details = a.get("details", {})
    takedown = None
    if details.get("takedown"):
        takedown = Takedown.objects.filter(public_id=details["takedown"]).first()
        if takedown is None:
            raise DraftOutdated("details")
    try:
        informed_on = date.fromisoformat(details["informed_on"])
        decided_on = (
            date.fromisoformat(details["decided_on"]) if details.get("decided_on") else None
        )
    except (KeyError, TypeError, ValueError):
        raise DraftOutdated("details") from None
    if any(m not in Measure.values for m in details.get("measures", [])) or (
        details.get("decision_ground") and details["decision_ground"] not in DecisionGround.values
    ):
        raise DraftOutdated("details")
    grounds = a.get("grounds", {})
    if (
        not grounds.get("grounds")
        or any(r not in Remedy.values for r in grounds.get("remedies", []))
        or grounds.get("language") not in dict(settings.LANGUAGES)
    ):
        raise DraftOutdated("grounds")
    description = None
    if takedown is None:
        description = TakedownDescription(
            content_url=details.get("content_url", ""),
            measures=details.get("measures", []),
            decision_ground=details.get("decision_ground", ""),
            rule_cited=details.get("rule_cited", ""),
            decided_on=decided_on,
            statement_text=details.get("statement_text", ""),
        )
    return AppealSubmission(
        platform=platform,
        platform_reference=a["takedown"].get("platform_reference", ""),
        jurisdiction=_jurisdiction(draft),
        takedown=takedown,
        description=description,
        informed_on=informed_on,
        late_reason=details.get("late_reason", ""),
        grounds=grounds["grounds"],
        remedies=grounds.get("remedies", []),
        language=grounds["language"],
        mandate=_mandate(draft, grounds.get("mandate")),
    )


@require_http_methods(["GET", "POST"])
@login_required
def filing_check(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id, "check")
    if isinstance(draft, HttpResponse):
        return draft
    if "check" not in draft.answers.get("visited", []):
        draft.answers.setdefault("visited", []).append("check")
        draft.save(update_fields=["answers", "updated_at"])
    try:
        submission = _submission(draft)
    except DraftOutdated as outdated:
        return _ask_again(request, draft, outdated.step)
    form = CheckAnswersForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = appeal_submit(appellant=request.user, draft=draft, submission=submission)  # type: ignore[arg-type]
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("appeal_received", reference=appeal.reference)
    files = list(EvidenceFile.objects.filter(draft=draft, appeal__isnull=True))
    details = draft.answers["details"]
    return _render_step(
        request,
        draft,
        "check",
        {
            "form": form,
            "submission": submission,
            "files": files,
            "measure_labels": [Measure(m).label for m in details.get("measures", [])],
            "ground_label": (
                DecisionGround(details["decision_ground"]).label
                if details.get("decision_ground")
                else ""
            ),
            "remedy_labels": [Remedy(r).label for r in submission.remedies],
        },
    )
