"""Reporting harmful content, signed in or not, and following the report."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from appeals.forms_reports import LocationFormSet, ReportForm, TrackForm
from appeals.models import HarmReport, Organisation, Referral, User
from appeals.services.organisations import memberships_of
from appeals.services.reports import (
    Location,
    ReportRefused,
    ReportSubmission,
    report_by_link,
    report_by_pin,
    report_file,
    report_link_revoke,
)

SESSION_RECEIPT = "report_receipt"
SESSION_TRACKED = "tracked_reports"


def _organisations(request: HttpRequest) -> Any:
    if not request.user.is_authenticated:
        return None
    ids = [m.organisation_id for m in memberships_of(cast(User, request.user))]
    return Organisation.objects.filter(pk__in=ids).order_by("name")


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    organisations = _organisations(request)
    if request.method == "POST":
        form = ReportForm(
            request.POST, request.FILES, signed_in=signed_in, organisations=organisations
        )
        locations = LocationFormSet(request.POST, prefix="loc")
        if form.is_valid() & locations.is_valid():
            rows = [
                Location(
                    url=row["url"],
                    platform=row["platform"],
                    hosting_country=row.get("hosting_country", ""),
                    sha256=row.get("sha256", ""),
                    perceptual_hash=row.get("perceptual_hash", ""),
                )
                for row in locations.cleaned_data
                if row.get("url")
            ]
            data = form.cleaned_data
            try:
                filed = report_file(
                    submission=ReportSubmission(
                        categories=data["categories"],
                        explanation=data["explanation"],
                        locations=rows,
                        jurisdictions=list(data["jurisdictions"]),
                        victim_reference=data["victim_reference"],
                        victim_contact=data["victim_contact"],
                        consent_given_by=data["consent_given_by"],
                        consent_scope=data["consent_scope"],
                        requested_actions=data["requested_actions"],
                        good_faith=data["good_faith"],
                        urgent=data["urgent"],
                        threat_to_life=data["threat_to_life"],
                        reporter_name=data.get("reporter_name", ""),
                        reporter_email=data.get("reporter_email", ""),
                        files=data["attachments"],
                    ),
                    filed_by=cast(User, request.user) if signed_in else None,
                    organisation=data.get("organisation"),
                )
            except ReportRefused as exc:
                form.add_error(None, exc.message)
            else:
                # Secrets are shown once, on the next page, and never put in an address.
                request.session[SESSION_RECEIPT] = {
                    "reference": filed.report.reference,
                    "pin": filed.pin,
                    "token": filed.link_token,
                }
                return redirect("report_received")
    else:
        form = ReportForm(signed_in=signed_in, organisations=organisations)
        locations = LocationFormSet(prefix="loc")
    return render(
        request,
        "reports/new.html",
        {"form": form, "locations": locations},
        status=400 if form.errors or any(locations.errors) else 200,
    )


@require_safe
def report_received(request: HttpRequest) -> HttpResponse:
    receipt = request.session.pop(SESSION_RECEIPT, None)
    if not receipt:
        return redirect("report_start")
    report = HarmReport.objects.filter(reference=receipt["reference"]).first()
    if report is None:
        raise Http404
    _grant(request, report)
    referrals = list(report.referrals.select_related("platform", "jurisdiction").order_by("due_at"))
    return render(
        request,
        "reports/received.html",
        {
            "report": report,
            "pin": receipt.get("pin"),
            "link": request.build_absolute_uri(f"/track/link/{receipt['token']}/")
            if receipt.get("token")
            else None,
            "referrals": referrals,
        },
    )


def _grant(request: HttpRequest, report: HarmReport) -> None:
    granted = set(request.session.get(SESSION_TRACKED, []))
    granted.add(str(report.pk))
    request.session[SESSION_TRACKED] = sorted(granted)


def _may_follow(request: HttpRequest, report: HarmReport) -> bool:
    if str(report.pk) in request.session.get(SESSION_TRACKED, []):
        return True
    user = request.user
    if not user.is_authenticated:
        return False
    if report.filed_by_id == user.pk:
        return True
    return report.organisation_id in {m.organisation_id for m in memberships_of(cast(User, user))}


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = report_by_pin(form.cleaned_data["reference"], form.cleaned_data["pin"])
        if report is not None:
            _grant(request, report)
            return redirect("report_status", reference=report.reference)
        form.add_error(
            None,
            _(
                "The case number and PIN do not match. Check them and try again. After "
                "several wrong tries you must wait an hour."
            ),
        )
    return render(request, "reports/track.html", {"form": form}, status=400 if form.errors else 200)


@require_safe
def track_link(request: HttpRequest, token: str) -> HttpResponse:
    report = report_by_link(token)
    if report is None:
        return render(request, "reports/link_expired.html", status=404)
    _grant(request, report)
    return redirect("report_status", reference=report.reference)


@require_safe
def report_status(request: HttpRequest, reference: str) -> HttpResponse:
    report = HarmReport.objects.filter(reference=reference.upper()).first()
    if report is None or not _may_follow(request, report):
        raise Http404
    referrals = list(
        Referral.objects.filter(report=report)
        .select_related("platform", "jurisdiction")
        .order_by("due_at")
    )
    return render(request, "reports/status.html", {"report": report, "referrals": referrals})


@require_POST
def revoke_link(request: HttpRequest, reference: str) -> HttpResponse:
    report = HarmReport.objects.filter(reference=reference.upper()).first()
    if report is None or not _may_follow(request, report):
        raise Http404
    report_link_revoke(report=report)
    messages.success(request, _("The secret link no longer works. Use the case number and PIN."))
    return redirect("report_status", reference=report.reference)
