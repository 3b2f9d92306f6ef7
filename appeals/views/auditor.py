"""The auditors' area: the audit trail, its verification, evidence access, exports,
and transparency reports. Auditor role with a second factor."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from appeals.forms import DateInput
from appeals.models import AuditAction, AuditCheck, AuditEvent, TransparencyReport, User
from appeals.permissions import staff_required
from appeals.roles import Role
from appeals.services.audit import audit_record
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
    since = forms.DateField(label=gettext_lazy("From"), widget=DateInput(), required=False)
    until = forms.DateField(label=gettext_lazy("Until"), widget=DateInput(), required=False)


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("First day"), widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Last day"), widget=DateInput())

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end", _("The last day must be on or after the first day."))
        return cleaned


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _events(form: AuditFilterForm) -> object:
    rows = AuditEvent.objects.select_related("actor").order_by("-id")
    if not form.is_valid():
        return rows
    data = form.cleaned_data
    if data["action"]:
        rows = rows.filter(action=data["action"])
    if data["reference"]:
        ref = data["reference"].upper()
        rows = rows.filter(appeal__reference=ref) | rows.filter(harm_report__reference=ref)
    if data["actor"]:
        rows = rows.filter(actor__email__iexact=data["actor"])
    tz = timezone.get_current_timezone()
    if data["since"]:
        rows = rows.filter(occurred_at__gte=datetime.combine(data["since"], time.min, tz))
    if data["until"]:
        rows = rows.filter(
            occurred_at__lt=datetime.combine(data["until"] + timedelta(days=1), time.min, tz)
        )
    return rows


@require_safe
@staff_required(Role.AUDITOR)
def trail(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    rows = _events(form)
    before = request.GET.get("before", "")
    if before.isdigit():
        rows = rows.filter(id__lt=int(before))  # type: ignore[attr-defined]
    page = list(rows[: PAGE + 1])  # type: ignore[index]
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "auditor/trail.html",
        {
            "form": form,
            "events": page[:PAGE],
            "next_before": page[PAGE - 1].id if len(page) > PAGE else None,
            "query": query.urlencode(),
            "check": AuditCheck.objects.first(),
            "period_form": PeriodForm(),
            "reports": TransparencyReport.objects.all()[:10],
        },
    )


@require_POST
@staff_required(Role.AUDITOR)
def verify(request: HttpRequest) -> HttpResponse:
    audit_check_request(by=_me(request))
    messages.success(request, _("The check has started. Reload this page to see its result."))
    return redirect("audit_trail")


@require_safe
@staff_required(Role.AUDITOR)
def export(request: HttpRequest) -> StreamingHttpResponse:
    form = AuditFilterForm(request.GET or None)
    rows = _events(form)
    audit_record(
        action=AuditAction.AUDIT_EXPORTED,
        actor=_me(request),
        details={"filters": request.GET.urlencode()},
    )

    writer = csv_writer()

    def lines() -> Iterator[str]:
        yield writer.writerow(
            ["id", "occurred_at", "action", "actor", "object", "details", "hash", "prev_hash"]
        )
        for e in rows.iterator(chunk_size=1000):  # type: ignore[attr-defined]
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
