"""Staff upload a statements-of-reasons file; a worker imports it; the page shows progress."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from appeals.accounts.gates import staff_required
from appeals.accounts.http import AuthenticatedHttpRequest
from appeals.models import ImportRun
from appeals.roles import Role
from appeals.services.imports import import_request

ALLOWED_SUFFIXES = (".csv", ".csv.gz", ".json", ".json.gz", ".zip")
MAX_UPLOAD = 2 * 1024 * 1024 * 1024  # daily dumps are large; the web server's limit applies first


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Statements of reasons file"),
        help_text=gettext_lazy("A daily dump (.csv, .csv.gz or .zip) or a JSON API body (.json)."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(
                _("Choose a .csv, .csv.gz, .zip or .json file from the Transparency Database.")
            )
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("That file is too large to upload here; use the command.")
            )
        return upload


@require_http_methods(["GET", "POST"])
@staff_required(Role.SUPERVISOR)
def imports(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = import_request(upload=form.cleaned_data["file"], by=request.user)
        messages.success(request, _("The file is being imported."))
        return redirect("staff_import", run_id=run.pk)
    return render(
        request,
        "staff/imports.html",
        {"form": form, "runs": ImportRun.objects.all()[:20]},
        status=400 if form.errors else 200,
    )


@require_safe
@staff_required(Role.SUPERVISOR)
def import_progress(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        raise Http404
    return render(request, "staff/import.html", {"run": run})
