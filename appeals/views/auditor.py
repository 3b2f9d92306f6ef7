"""The auditors' area: the audit trail, its verification, evidence access, exports,
and transparency reports. Auditor role with a second factor."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from appeals.forms import BoundedDateField
from appeals.models import AuditAction, AuditCheck, AuditEvent, TransparencyReport, User
from appeals.paging import id_cursor
from appeals.permissions import audit_event_scope, cross_site_refused, has_role, staff_required
from appeals.roles import Role
from appeals.services.audit import audit_export_record
from appeals.services.transparency import audit_check_request, transparency_report_request
from appeals.views.files import csv_writer

PAGE = 50


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[("", gettext_lazy("All")), *AuditAction.choices],
        required=False,
    )
    reference = forms.CharField(
        label=gettext_lazy("Case or report number"), max_length=20, required=False
    )
    actor = forms.EmailField(label=gettext_lazy("Done by (email)"), required=False)
    since = BoundedDateField(label=gettext_lazy("From"), required=False)
    until = BoundedDateField(label=gettext_lazy("Until"), required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if isinstance(since, date) and isinstance(until, date) and until < since:
            self.add_error("until", _("The last day must be on or after the first day."))
        return cleaned


class PeriodForm(forms.Form):
    start = BoundedDateField(label=gettext_lazy("First day"))
    end = BoundedDateField(label=gettext_lazy("Last day"))

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end", _("The last day must be on or after the first day."))
        return cleaned


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _events(user: User, data: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The events the valid filter ``data`` selects that ``user`` may read, newest first."""
    rows = (
        AuditEvent.objects.filter(audit_event_scope(user)).select_related("actor").order_by("-id")
    )
    if data["action"]:
        rows = rows.filter(action=data["action"])
    if data["reference"]:
        ref = data["reference"].upper()
        rows = rows.filter(appeal__reference=ref) | rows.filter(harm_report__reference=ref)
    if data["actor"]:
        rows = rows.filter(actor__email__iexact=data["actor"])
    tz = timezone.get_current_timezone()
    # The form bounds the days, so a day more and the time zone stay in the calendar.
    if data["since"]:
        rows = rows.filter(occurred_at__gte=datetime.combine(data["since"], time.min, tz))
    if data["until"]:
        rows = rows.filter(
            occurred_at__lt=datetime.combine(data["until"] + timedelta(days=1), time.min, tz)
        )
    return rows


def _trail_page(
    request: HttpRequest,
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
        rows = _events(_me(request), form.cleaned_data if form.is_bound else _NO_FILTER)
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
            "check": AuditCheck.objects.first(),
            "period_form": period_form or PeriodForm(),
            "reports": TransparencyReport.objects.all()[:10],
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
def trail(request: HttpRequest) -> HttpResponse:
    return _trail_page(request, AuditFilterForm(request.GET or None))


@require_POST
@staff_required(Role.AUDITOR)
def verify(request: HttpRequest) -> HttpResponse:
    audit_check_request(by=_me(request))
    messages.success(request, _("The check has started. Reload this page to see its result."))
    return redirect("audit_trail")


@require_safe
@staff_required(Role.AUDITOR)
@cross_site_refused
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _trail_page(request, form)
    rows = _events(_me(request), form.cleaned_data if form.is_bound else _NO_FILTER)
    audit_export_record(by=_me(request), filters=request.GET.urlencode())

    writer = csv_writer()

    def lines() -> Iterator[str]:
        yield writer.writerow(
            ["id", "occurred_at", "action", "actor", "object", "details", "hash", "prev_hash"]
        )
        for e in rows.iterator(chunk_size=1000):
            yield writer.writerow(
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
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response


@require_POST
@staff_required(Role.AUDITOR, Role.SUPERVISOR)
def request_report(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.POST)
    if not form.is_valid():
        if has_role(request.user, Role.AUDITOR):  # the page with the form: errors beside it
            return _trail_page(request, AuditFilterForm(), period_form=form, status=400)
        messages.error(request, _("Give the first and last day of the period."))
        return redirect("audit_trail")
    report = transparency_report_request(
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"] + timedelta(days=1),
        by=_me(request),
    )
    return redirect("audit_report", report_id=report.pk)


@require_safe
@staff_required(Role.AUDITOR, Role.SUPERVISOR)
def report_progress(request: HttpRequest, report_id: int) -> HttpResponse:
    report = TransparencyReport.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404
    return render(request, "auditor/report.html", {"report": report})
