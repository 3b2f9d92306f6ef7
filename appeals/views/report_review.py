"""Staff follow referrals: record what each platform did, mark misuse."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from appeals.accounts.gates import staff_required
from appeals.accounts.http import AuthenticatedHttpRequest
from appeals.errors import Refused
from appeals.forms.reports import ReferralUpdateForm
from appeals.forms.review import MisuseForm
from appeals.models import Gravity, ReferralStatus
from appeals.permissions import can_change_referral
from appeals.roles import Role
from appeals.selectors.queue import appeal_get_for_staff
from appeals.selectors.reports import (
    referral_get_for_staff_to_change,
    referrals_open_for_staff,
    report_get_for_staff,
)
from appeals.services.misuse import misuse_mark
from appeals.services.reports import referral_update
from appeals.states import REFERRAL_TRANSITIONS

STAFF = (Role.REVIEWER, Role.SUPERVISOR)


@require_safe
@staff_required(*STAFF)
def referrals(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = list(referrals_open_for_staff(request.user)[:50])
    return render(
        request, "reports/staff_referrals.html", {"referrals": rows, "now": timezone.now()}
    )


@require_safe
@staff_required(*STAFF)
def report(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    harm_report = report_get_for_staff(request.user, reference)
    rows = list(
        harm_report.referrals.select_related("report", "platform", "jurisdiction").order_by(
            "due_at"
        )
    )
    me = request.user
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
def update_referral(
    request: AuthenticatedHttpRequest, reference: str, referral_id: uuid.UUID
) -> HttpResponse:
    harm_report = report_get_for_staff(request.user, reference)
    referral = referral_get_for_staff_to_change(request.user, harm_report, referral_id)
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
                by=request.user,
            )
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Recorded."))
    return redirect("staff_report", reference=harm_report.reference)


def _mark(request: AuthenticatedHttpRequest, **target: object) -> str | None:
    form = MisuseForm(request.POST)
    if not form.is_valid():
        return _("Choose the gravity.")
    try:
        misuse_mark(
            by=request.user,
            gravity=Gravity(form.cleaned_data["gravity"]),
            intent=form.cleaned_data["intent"],
            **target,  # type: ignore[arg-type]
        )
    except Refused as exc:
        return exc.message
    return None


@require_POST
@staff_required(*STAFF)
def report_mark_unfounded(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    harm_report = report_get_for_staff(request.user, reference)
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
def appeal_mark_unfounded(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    appeal = appeal_get_for_staff(request.user, reference)
    error = _mark(request, submitter=appeal.appellant, appeal=appeal)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Recorded as manifestly unfounded."))
    return redirect("review_case", reference=appeal.reference)
