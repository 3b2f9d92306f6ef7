"""Staff follow referrals: record what each platform did, mark misuse."""

from __future__ import annotations

import uuid
from typing import cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from appeals.errors import Refused
from appeals.forms_reports import ReferralUpdateForm
from appeals.models import Gravity, HarmReport, Referral, ReferralStatus, User
from appeals.models.report import OPEN_REFERRAL_STATUSES
from appeals.permissions import (
    can_change_referral,
    can_see_report_as_staff,
    staff_referral_scope,
    staff_required,
)
from appeals.roles import Role
from appeals.selectors_review import appeal_get_for_staff
from appeals.services.misuse import misuse_mark
from appeals.services.reports import referral_update
from appeals.states import REFERRAL_TRANSITIONS

STAFF = (Role.REVIEWER, Role.SUPERVISOR)


class MisuseForm(forms.Form):
    gravity = forms.ChoiceField(label=gettext_lazy("Gravity"), choices=Gravity.choices)
    intent = forms.CharField(
        label=gettext_lazy("Intent, where known"), max_length=2000, required=False
    )


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _report(request: HttpRequest, reference: str) -> HarmReport:
    """A report the staff member may see: one of its countries is theirs (all for
    supervisors), and not one they filed."""
    report = HarmReport.objects.filter(reference=reference.upper()).first()
    if report is None or not can_see_report_as_staff(_me(request), report):
        raise Http404
    return report


@require_safe
@staff_required(*STAFF)
def referrals(request: HttpRequest) -> HttpResponse:
    rows_query = Referral.objects.filter(status__in=OPEN_REFERRAL_STATUSES).filter(
        staff_referral_scope(_me(request))
    )
    rows = list(
        rows_query.select_related("report", "platform", "jurisdiction").order_by("due_at")[:50]
    )
    return render(
        request, "reports/staff_referrals.html", {"referrals": rows, "now": timezone.now()}
    )


@require_safe
@staff_required(*STAFF)
def report(request: HttpRequest, reference: str) -> HttpResponse:
    harm_report = _report(request, reference)
    rows = list(
        harm_report.referrals.select_related("report", "platform", "jurisdiction").order_by(
            "due_at"
        )
    )
    me = _me(request)
    labels = dict(ReferralStatus.choices)
    return render(
        request,
        "reports/staff_report.html",
        {
            "report": harm_report,
            "locations": list(harm_report.locations.select_related("platform")),
            "referrals": [
                (
                    r,
                    # Only the referrals of their own countries can be changed here;
                    # the others are shown, each with its state.
                    ReferralUpdateForm(
                        choices=[(s, labels[s]) for s in sorted(REFERRAL_TRANSITIONS[r.status])],
                        prefix=str(r.pk),
                    )
                    if can_change_referral(me, r)
                    else None,
                )
                for r in rows
            ],
            "misuse_form": MisuseForm(),
            "now": timezone.now(),
        },
    )


@require_POST
@staff_required(*STAFF)
def update_referral(request: HttpRequest, reference: str, referral_id: uuid.UUID) -> HttpResponse:
    harm_report = _report(request, reference)
    referral = (
        Referral.objects.filter(pk=referral_id, report=harm_report).select_related("report").first()
    )
    if referral is None or not can_change_referral(_me(request), referral):
        raise Http404
    labels = dict(ReferralStatus.choices)
    form = ReferralUpdateForm(
        request.POST,
        choices=[(s, labels[s]) for s in REFERRAL_TRANSITIONS[referral.status]],
        prefix=str(referral.pk),
    )
    if not form.is_valid():
        messages.error(request, _("Choose what the platform did."))
    else:
        try:
            referral_update(
                referral=referral,
                status=ReferralStatus(form.cleaned_data["status"]),
                outcome=form.cleaned_data["outcome"],
                by=_me(request),
            )
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Recorded."))
    return redirect("staff_report", reference=harm_report.reference)


def _mark(request: HttpRequest, **target: object) -> str | None:
    form = MisuseForm(request.POST)
    if not form.is_valid():
        return _("Choose the gravity.")
    try:
        misuse_mark(
            by=_me(request),
            gravity=Gravity(form.cleaned_data["gravity"]),
            intent=form.cleaned_data["intent"],
            **target,  # type: ignore[arg-type]
        )
    except Refused as exc:
        return exc.message
    return None


@require_POST
@staff_required(*STAFF)
def report_mark_unfounded(request: HttpRequest, reference: str) -> HttpResponse:
    harm_report = _report(request, reference)
    if harm_report.filed_by is None:
        messages.error(request, _("An anonymous report cannot be counted against anyone."))
    else:
        error = _mark(request, submitter=harm_report.filed_by, report=harm_report)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Recorded as manifestly unfounded."))
    return redirect("staff_report", reference=harm_report.reference)


@require_POST
@staff_required(*STAFF)
def appeal_mark_unfounded(request: HttpRequest, reference: str) -> HttpResponse:
    appeal = appeal_get_for_staff(_me(request), reference)
    error = _mark(request, submitter=appeal.appellant, appeal=appeal)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Recorded as manifestly unfounded."))
    return redirect("review_case", reference=appeal.reference)
