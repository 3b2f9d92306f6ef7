"""The auditors' area: the audit trail, its verification, evidence access, exports,
and transparency reports. Auditor role with a second factor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from appeals.accounts.gates import cross_site_refused, staff_required
from appeals.accounts.http import AuthenticatedHttpRequest
from appeals.forms.audit import AuditFilterForm, PeriodForm
from appeals.models import AuditEvent, User
from appeals.paging import id_cursor
from appeals.permissions import has_role
from appeals.roles import Role
from appeals.selectors.audit import audit_check_latest, audit_events
from appeals.selectors.statistics import transparency_report_get, transparency_reports
from appeals.services.audit import audit_export_record
from appeals.services.transparency import audit_check_request, transparency_report_request
from appeals.views.files import csv_stream

PAGE = 50


def _events(user: User, data: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The events the valid filter ``data`` selects that ``user`` may read, newest first."""
    return audit_events(
        user,
        action=data["action"],
        reference=data["reference"],
        actor=data["actor"],
        since=data["since"],
        until=data["until"],
    )


def _trail_page(
    request: AuthenticatedHttpRequest,
    form: AuditFilterForm,
    *,
    period_form: PeriodForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The trail page. A filter that is not valid shows its errors and no events: an
    unfiltered list must not pass for the filtered one."""
    events: list[AuditEvent] = []
    next_before = None
    if form.is_valid() or not form.is_bound:
        rows = _events(request.user, form.cleaned_data if form.is_bound else _NO_FILTER)
        before = id_cursor(request.GET.get("before", ""))
        if before is not None:
            rows = rows.filter(id__lt=before)
        page = list(rows[: PAGE + 1])
        events = page[:PAGE]
        next_before = page[PAGE - 1].id if len(page) > PAGE else None
    else:
        status = 400
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "auditor/trail.html",
        {
            "form": form,
            "events": events,
            "next_before": next_before,
            "query": query.urlencode(),
            "check": audit_check_latest(),
            "period_form": period_form or PeriodForm(),
            "reports": transparency_reports()[:10],
        },
        status=status,
    )


_NO_FILTER: dict[str, Any] = {
    "action": "",
    "reference": "",
    "actor": "",
    "since": None,
    "until": None,
}


@require_safe
@staff_required(Role.AUDITOR)
def trail(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _trail_page(request, AuditFilterForm(request.GET or None))


@require_POST
@staff_required(Role.AUDITOR)
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    audit_check_request(by=request.user)
    messages.success(request, _("The check has started. Reload this page to see its result."))
    return redirect("audit_trail")


@require_safe
@staff_required(Role.AUDITOR)
@cross_site_refused
def export(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _trail_page(request, form)
    rows = _events(request.user, form.cleaned_data if form.is_bound else _NO_FILTER)
    audit_export_record(by=request.user, filters=request.GET.urlencode())

    return csv_stream(
        ["id", "occurred_at", "action", "actor", "object", "details", "hash", "prev_hash"],
        (
            [
                e.id,
                e.occurred_at.isoformat(),
                e.action,
                e.actor_repr,
                e.object_repr,
                e.details,
                e.hash,
                e.prev_hash,
            ]
            for e in rows.iterator(chunk_size=1000)
        ),
        filename="audit-trail.csv",
    )


@require_POST
@staff_required(Role.AUDITOR, Role.SUPERVISOR)
def request_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PeriodForm(request.POST)
    if not form.is_valid():
        if has_role(request.user, Role.AUDITOR):  # the page with the form: errors beside it
            return _trail_page(request, AuditFilterForm(), period_form=form, status=400)
        messages.error(request, _("Give the first and last day of the period."))
        return redirect("audit_trail")
    report = transparency_report_request(
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"] + timedelta(days=1),
        by=request.user,
    )
    return redirect("audit_report", report_id=report.pk)


@require_safe
@staff_required(Role.AUDITOR, Role.SUPERVISOR)
def report_progress(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = transparency_report_get(report_id)
    return render(request, "auditor/report.html", {"report": report})
