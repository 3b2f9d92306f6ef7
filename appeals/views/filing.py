"""Filing an appeal, one question group per page, saved on the server after every step.

Steps: takedown → details → grounds → evidence → check. Each step's raw input
is kept in the draft even when it does not validate, so an error or a reload
never loses what the person typed; files are stored as soon as they are sent.
The draft itself is kept by appeals/services/drafts.py: this module does HTTP.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appeals.accounts.http import AuthenticatedHttpRequest
from appeals.errors import Refused
from appeals.forms.filing import (
    CheckAnswersForm,
    DescribeTakedownForm,
    EvidenceUploadForm,
    GroundsForm,
    KnownTakedownForm,
    TakedownStepForm,
)
from appeals.models import AppealDraft, Remedy
from appeals.selectors.appeals import draft_get_for_owner, evidence_get_for_draft, evidence_of_draft
from appeals.services.appeals import active_mandates_for, appeal_submit
from appeals.services.drafts import (
    STEPS,
    DraftOutdated,
    draft_first_missing_step,
    draft_forget_step,
    draft_jurisdiction,
    draft_save_step,
    draft_start,
    draft_submission,
    draft_takedown,
    draft_visit,
)
from appeals.services.evidence import MAX_FILES_PER_CASE, evidence_add, evidence_remove_from_draft
from appeals.vocabulary import DecisionGround, Measure

# --- Reading the request and the draft ----------------------------------------------


def _raw(form: forms.Form, request: HttpRequest) -> dict[str, list[str]]:
    """The step's input as typed, kept in the draft whether or not it validates."""
    return {name: request.POST.getlist(name) for name in form.fields if name in request.POST}


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


def _redirect_to(step: str, draft: AppealDraft) -> HttpResponse:
    return redirect(f"filing_{step}", draft_id=draft.pk)


def _draft(
    request: AuthenticatedHttpRequest, draft_id: uuid.UUID, step: str
) -> AppealDraft | HttpResponse:
    draft = draft_get_for_owner(request.user, draft_id)
    if draft.appeal_id is not None:
        return redirect("appeal_detail", reference=draft.appeal.reference)  # type: ignore[union-attr]
    missing = draft_first_missing_step(draft, step)
    if missing is not None:
        return _redirect_to(missing, draft)
    return draft


def _ask_again(request: HttpRequest, draft: AppealDraft, step: str) -> HttpResponse:
    draft_forget_step(draft=draft, step=step)
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
def filing_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    draft = draft_start(owner=request.user)
    return _redirect_to("takedown", draft)


@require_http_methods(["GET", "POST"])
@login_required
def filing_takedown(request: AuthenticatedHttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id, "takedown")
    if isinstance(draft, HttpResponse):
        return draft
    if request.method == "POST":
        form = TakedownStepForm(request.POST)
        valid = form.is_valid()
        changed = draft_save_step(
            draft=draft,
            step="takedown",
            raw=_raw(form, request),
            cleaned=form.cleaned_data if valid else None,
        )
        if changed:  # a different decision: its details are asked again
            return _redirect_to("details", draft)
        if valid:
            return _after("takedown", draft)
    else:
        form = TakedownStepForm(initial=_initial_from_raw(draft, "takedown", TakedownStepForm))
    return _render_step(request, draft, "takedown", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def filing_details(request: AuthenticatedHttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id, "details")
    if isinstance(draft, HttpResponse):
        return draft
    takedown = draft_takedown(draft)
    form_class = KnownTakedownForm if takedown else DescribeTakedownForm
    try:
        jurisdiction = draft_jurisdiction(draft)
    except DraftOutdated as outdated:
        return _ask_again(request, draft, outdated.step)
    if request.method == "POST":
        form = form_class(request.POST, jurisdiction=jurisdiction)
        valid = form.is_valid()
        cleaned = None
        if valid:
            cleaned = dict(form.cleaned_data)
            cleaned["takedown"] = str(takedown.public_id) if takedown else ""
        draft_save_step(draft=draft, step="details", raw=_raw(form, request), cleaned=cleaned)
        if valid:
            return _after("details", draft)
    else:
        initial = _initial_from_raw(draft, "details", form_class)
        if takedown and "informed_on" not in initial and takedown.decided_on:
            initial["informed_on"] = takedown.decided_on
        form = form_class(initial=initial, jurisdiction=jurisdiction)
    return _render_step(request, draft, "details", {"form": form, "takedown": takedown})


@require_http_methods(["GET", "POST"])
@login_required
def filing_grounds(request: AuthenticatedHttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id, "grounds")
    if isinstance(draft, HttpResponse):
        return draft
    mandates = active_mandates_for(request.user)
    if request.method == "POST":
        form = GroundsForm(request.POST, mandates=mandates)
        valid = form.is_valid()
        draft_save_step(
            draft=draft,
            step="grounds",
            raw=_raw(form, request),
            cleaned=form.cleaned_data if valid else None,
        )
        if valid:
            return _after("grounds", draft)
    else:
        initial = _initial_from_raw(draft, "grounds", GroundsForm)
        initial.setdefault("language", (get_language() or "en")[:2])
        form = GroundsForm(initial=initial, mandates=mandates)
    return _render_step(request, draft, "grounds", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def filing_evidence(request: AuthenticatedHttpRequest, draft_id: uuid.UUID) -> HttpResponse:
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
                    evidence_add(upload=upload, uploaded_by=request.user, draft=draft)
                except Refused as exc:
                    refused.append(str(exc.message))
            for reason in refused:
                form.add_error("attachments", reason)
            if not refused:
                draft_save_step(draft=draft, step="evidence", cleaned={"confirmed": True})
                if request.POST.get("action") == "upload":
                    messages.success(request, _("Your files were added."))
                    return _redirect_to("evidence", draft)
                return _after("evidence", draft)
    files = evidence_of_draft(draft)
    return _render_step(
        request, draft, "evidence", {"form": form, "files": files, "max_files": MAX_FILES_PER_CASE}
    )


@require_POST
@login_required
def filing_evidence_remove(
    request: AuthenticatedHttpRequest, draft_id: uuid.UUID, evidence_id: uuid.UUID
) -> HttpResponse:
    evidence = evidence_get_for_draft(request.user, draft_id, evidence_id)
    name = evidence.original_name
    evidence_remove_from_draft(evidence=evidence)
    messages.success(request, _("“%(name)s” was removed.") % {"name": name})
    return redirect("filing_evidence", draft_id=draft_id)


@require_http_methods(["GET", "POST"])
@login_required
def filing_check(request: AuthenticatedHttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id, "check")
    if isinstance(draft, HttpResponse):
        return draft
    draft_visit(draft=draft, step="check")
    try:
        submission = draft_submission(draft)
    except DraftOutdated as outdated:
        return _ask_again(request, draft, outdated.step)
    form = CheckAnswersForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = appeal_submit(appellant=request.user, draft=draft, submission=submission)
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("appeal_received", reference=appeal.reference)
    files = evidence_of_draft(draft)
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
