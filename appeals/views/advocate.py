"""Advocates: their organisation's reports, each referral's state, exports, members.
Members of one organisation never see another's reports (404)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from appeals.accounts.gates import cross_site_refused
from appeals.accounts.http import AuthenticatedHttpRequest
from appeals.errors import Refused
from appeals.forms.reports import ContestReferralForm, InviteForm
from appeals.models import Membership
from appeals.selectors.organisations import memberships_of, organisation_get_for_member
from appeals.selectors.reports import (
    referral_get_for_report,
    referrals_export_for_member,
    referrals_for_members,
    report_get_for_member,
)
from appeals.services.organisations import member_invite
from appeals.services.reports import referral_contest
from appeals.views.files import csv_stream

PAGE = 50


@require_safe
@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = memberships_of(request.user)
    if not memberships:
        raise Http404
    referrals = list(referrals_for_members(memberships)[:PAGE])
    now = timezone.now()
    open_first = sorted(referrals, key=lambda r: (r.status in ("actioned", "refused"), r.due_at))
    return render(
        request,
        "advocate/dashboard.html",
        {"memberships": memberships, "referrals": open_first, "now": now},
    )


@require_safe
@login_required
def report_detail(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    report = report_get_for_member(request.user, reference)
    referrals = list(
        report.referrals.select_related("platform", "jurisdiction", "contested_appeal").order_by(
            "due_at"
        )
    )
    return render(
        request,
        "advocate/report.html",
        {
            "report": report,
            "referrals": referrals,
            "locations": list(report.locations.select_related("platform")),
            "contest_form": ContestReferralForm(),
            "now": timezone.now(),
        },
    )


@require_POST
@login_required
def contest(
    request: AuthenticatedHttpRequest, reference: str, referral_id: uuid.UUID
) -> HttpResponse:
    report = report_get_for_member(request.user, reference)
    referral = referral_get_for_report(report, referral_id)
    form = ContestReferralForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the platform’s refusal is wrong."))
    else:
        try:
            referral_contest(referral=referral, by=request.user, reason=form.cleaned_data["reason"])
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("A reviewer will look at the refusal. It is in your cases.")
            )
    return redirect("advocate_report", reference=report.reference)


@require_safe
@login_required
@cross_site_refused
def export_csv(
    request: AuthenticatedHttpRequest, organisation_id: uuid.UUID
) -> StreamingHttpResponse:
    """The organisation's referrals for its own records, streamed in bounded memory."""
    rows = referrals_export_for_member(request.user, organisation_id)
    return csv_stream(
        [
            "report",
            "filed_at",
            "victim_reference",
            "platform",
            "jurisdiction",
            "status",
            "due_at",
            "outcome",
        ],
        (
            [
                r.report.reference,
                r.report.filed_at.isoformat(),
                r.report.victim_reference,
                r.platform.name,
                r.jurisdiction.code,
                r.status,
                r.due_at.isoformat(),
                r.outcome,
            ]
            for r in rows.iterator(chunk_size=500)
        ),
        filename="referrals.csv",
    )


@require_http_methods(["GET", "POST"])
@login_required
def members(request: AuthenticatedHttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    organisation = organisation_get_for_member(request.user, organisation_id)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_invite(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=Membership.Role(form.cleaned_data["role"]),
                by=request.user,
            )
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The invitation was sent."))
            return redirect("advocate_members", organisation_id=organisation.pk)
    return render(
        request,
        "advocate/members.html",
        {
            "organisation": organisation,
            "members": list(organisation.members.order_by("email")),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
