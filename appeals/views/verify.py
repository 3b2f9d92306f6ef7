"""Public letter verification: by code or by uploading the PDF. Shows only the
case reference, the date and the outcome, never personal data. The same page
publishes the audit trail's latest signed checkpoint and the certificate that
checks it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from appeals.forms.verify import VerifyCodeForm, VerifyFileForm
from appeals.services.audit_checkpoints import checkpoint_latest, signing_certificate_pem
from appeals.services.letters import Verification, letter_verify_code, letter_verify_file
from appeals.views.files import attachment


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    code_form = VerifyCodeForm(request.GET if "code" in request.GET else None)
    file_form = VerifyFileForm()
    result: Verification | None = None
    if request.method == "POST":
        file_form = VerifyFileForm(request.POST, request.FILES)
        if file_form.is_valid():
            result = letter_verify_file(file_form.cleaned_data["letter"].chunks())
    elif code_form.is_bound and code_form.is_valid():
        result = letter_verify_code(code_form.cleaned_data["code"])
    return render(
        request,
        "public/verify.html",
        {
            "code_form": code_form,
            "file_form": file_form,
            "result": result,
            "audit_checkpoint": checkpoint_latest(),
        },
        status=400 if (code_form.errors or file_form.errors) else 200,
    )


@require_safe
def signing_certificate(request: HttpRequest) -> HttpResponse:
    """The public certificate of the key that signs letters and audit checkpoints."""
    response = HttpResponse(signing_certificate_pem(), content_type="application/x-pem-file")
    return attachment(response, "redress-portal-signing-cert.pem")


@require_safe
def audit_checkpoint(request: HttpRequest) -> JsonResponse:
    """The latest signed checkpoint as JSON: save it to check the trail later
    (``manage.py verify_audit --checkpoints FILE``)."""
    checkpoint = checkpoint_latest()
    if checkpoint is None:
        raise Http404
    response = JsonResponse(checkpoint.as_published())
    return attachment(response, f"audit-checkpoint-{checkpoint.event_id}.json")
