"""Advocates: their organisation's reports, each referral's state, exports, members.
Members of one organisation never see another's reports (404)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from appeals.errors import Refused
from appeals.forms_reports import ContestReferralForm, InviteForm
from appeals.models import HarmReport, Membership, Organisation, Referral, User
from appeals.permissions import cross_site_refused
from appeals.services.organisations import member_invite, memberships_of
from appeals.services.reports import referral_contest
from appeals.views.files import csv_writer

PAGE = 50


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _organisation_ids(user: User) -> set[uuid.UUID]:
    return {m.organisation_id for m in memberships_of(user)}


def _report(request: HttpRequest, reference: str) -> HarmReport:
    report = (
        HarmReport.objects.filter(
            reference=reference.upper(), organisation_id__in=_organisation_ids(_me(request))
        )
        .select_related("organisation")
        .first()
    )
    if report is None:
        raise Http404
    return report


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = memberships_of(_me(request))
    if not memberships:
        raise Http404
    referrals = list(
        Referral.objects.filter(
            report__organisation_id__in=[m.organisation_id for m in memberships]
        )
        .select_related("report", "platform", "jurisdiction")
        .order_by("due_at")[:PAGE]
    )
    now = timezone.now()
    open_first = sorted(referrals, key=lambda r: (r.status in ("actioned", "refused"), r.due_at))
    return render(
        request,
        "advocate/dashboard.html",
        {"memberships": memberships, "referrals": open_first, "now": now},
    )


@require_safe
@login_required
def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    report = _report(request, reference)
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
def contest(request: HttpRequest, reference: str, referral_id: uuid.UUID) -> HttpResponse:
    report = _report(request, reference)
    referral = (
        Referral.objects.filter(pk=referral_id, report=report)
        .select_related("report", "platform", "jurisdiction")
        .first()
    )
    if referral is None:
        raise Http404
    form = ContestReferralForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the platform’s refusal is wrong."))
    else:
        try:
            referral_contest(referral=referral, by=_me(request), reason=form.cleaned_data["reason"])
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
def export_csv(request: HttpRequest, organisation_id: uuid.UUID) -> StreamingHttpResponse:
    """The organisation's referrals for its own records, streamed in bounded memory."""
    if organisation_id not in _organisation_ids(_me(request)):
        raise Http404
    rows = (
        Referral.objects.filter(report__organisation_id=organisation_id)
        .select_related("report", "platform", "jurisdiction")
        .order_by("report__filed_at", "due_at")
    )
    writer = csv_writer()

    def lines() -> Iterator[str]:
        yield writer.writerow(
            [
                "report",
                "filed_at",
                "victim_reference",
                "platform",
                "jurisdiction",
                "status",
                "due_at",
                "outcome",
            ]
        )
        for r in rows.iterator(chunk_size=500):
            yield writer.writerow(
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
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="referrals.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def members(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    if organisation_id not in _organisation_ids(_me(request)):
        raise Http404
    organisation = Organisation.objects.get(pk=organisation_id)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_invite(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=Membership.Role(form.cleaned_data["role"]),
                by=_me(request),
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
