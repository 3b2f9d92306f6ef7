"""A signed-in person's own cases. Every read goes through a scoped selector:
another person's case, file or message is a 404."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from appeals.accounts.gates import cross_site_refused
from appeals.accounts.http import AuthenticatedHttpRequest
from appeals.errors import Refused
from appeals.forms.filing import MessageForm
from appeals.models.appeal import OrderedRemedy
from appeals.selectors.appeals import (
    appeal_get_for_appellant,
    appeal_messages_for_appellant,
    appeal_timeline_for_appellant,
    appeals_for_appellant,
    drafts_for_owner,
    evidence_get_for_appellant,
    letter_get_for_appellant,
    letters_for_appellant,
    out_of_court_bodies_for,
)
from appeals.selectors.personal_data import personal_data_for
from appeals.selectors.retractions import retraction_get_for_appeal, retractions_of_appeal
from appeals.services.appeals import appeal_message_post, appeal_withdraw
from appeals.services.audit import data_export_record
from appeals.services.evidence import evidence_add
from appeals.services.retractions import compensation_accept
from appeals.views.files import attachment, evidence_file_response, pdf_attachment


@require_safe
@login_required
def my_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "appellant/my_cases.html",
        {
            "appeals": appeals_for_appellant(request.user),
            "drafts": drafts_for_owner(request.user),
        },
    )


@require_safe
@login_required
def appeal_received(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    appeal = appeal_get_for_appellant(request.user, reference)
    return render(request, "appellant/appeal_received.html", {"appeal": appeal})


def _case_page(
    request: AuthenticatedHttpRequest, reference: str, form: MessageForm | None = None
) -> HttpResponse:
    appeal = appeal_get_for_appellant(request.user, reference)
    decision = appeal.current_decision()
    return render(
        request,
        "appellant/appeal_detail.html",
        {
            "appeal": appeal,
            "takedown": appeal.takedown,
            "timeline": appeal_timeline_for_appellant(appeal),
            "messages_on_case": appeal_messages_for_appellant(appeal),
            "evidence": list(appeal.evidence.filter(message__isnull=True)),
            "open_request": appeal.messages.filter(
                kind="information_request", answered_at__isnull=True
            ).last(),
            "form": form or MessageForm(),
            "letters": letters_for_appellant(appeal),
            "retractions": retractions_of_appeal(appeal),
            "decision": decision,
            "remedy_labels": [OrderedRemedy(r).label for r in decision.remedies_ordered]
            if decision
            else [],
            "out_of_court_bodies": out_of_court_bodies_for(appeal) if appeal.decided_at else [],
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_safe
@login_required
def appeal_detail(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, reference)


@require_POST
@login_required
def appeal_message(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    appeal = appeal_get_for_appellant(request.user, reference)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = appeal_message_post(
                appeal=appeal,
                author=request.user,
                body=form.cleaned_data["body"],
            )
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            refused = []
            for upload in form.cleaned_data["attachments"]:
                try:
                    evidence_add(
                        upload=upload,
                        uploaded_by=request.user,
                        appeal=appeal,
                        message=message,
                    )
                except Refused as exc:
                    refused.append(str(exc.message))
            messages.success(request, _("Your message was sent."))
            for reason in refused:
                messages.error(request, reason)
            return redirect("appeal_detail", reference=appeal.reference)
    return _case_page(request, reference, form)


@require_http_methods(["GET", "POST"])
@login_required
def appeal_withdraw_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    appeal = appeal_get_for_appellant(request.user, reference)
    if request.method == "POST":
        try:
            appeal_withdraw(appeal=appeal, by=request.user)
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your appeal was withdrawn."))
        return redirect("appeal_detail", reference=appeal.reference)
    return render(request, "appellant/appeal_withdraw.html", {"appeal": appeal})


@require_safe
@login_required
def evidence_download(
    request: AuthenticatedHttpRequest, reference: str, evidence_id: uuid.UUID
) -> FileResponse:
    evidence = evidence_get_for_appellant(request.user, reference, evidence_id)
    return evidence_file_response(evidence)


@require_safe
@login_required
def letter_download(
    request: AuthenticatedHttpRequest, reference: str, letter_id: uuid.UUID
) -> FileResponse:
    letter = letter_get_for_appellant(request.user, reference, letter_id)
    return pdf_attachment(letter.file, f"{letter.appeal.reference}-{letter.kind}.pdf")


@require_POST
@login_required
def compensation_accept_view(
    request: AuthenticatedHttpRequest, reference: str, retraction_id: uuid.UUID
) -> HttpResponse:
    appeal = appeal_get_for_appellant(request.user, reference)
    retraction = retraction_get_for_appeal(appeal, retraction_id)
    try:
        compensation_accept(retraction=retraction, appellant=request.user)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You accepted the offer. We will tell you when it is paid."))
    return redirect("appeal_detail", reference=appeal.reference)


@require_safe
@login_required
@cross_site_refused
def my_data(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Everything the portal holds about the signed-in person (GDPR Art. 15, 20)."""
    user = request.user
    data = personal_data_for(user)
    data_export_record(user=user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    attachment(response, "my-data.json")
    response["Cache-Control"] = "private, no-store"
    return response
