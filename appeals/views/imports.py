"""Staff upload a statements-of-reasons file; a worker imports it; the page shows progress."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from appeals.accounts.gates import staff_required
from appeals.accounts.http import AuthenticatedHttpRequest
from appeals.forms.imports import ImportForm
from appeals.roles import Role
from appeals.selectors.imports import import_run_get, import_runs
from appeals.services.imports import import_request


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
        {"form": form, "runs": import_runs()[:20]},
        status=400 if form.errors else 200,
    )


@require_safe
@staff_required(Role.SUPERVISOR)
def import_progress(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    run = import_run_get(run_id)
    return render(request, "staff/import.html", {"run": run})
