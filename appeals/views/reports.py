"""Reporting harmful content, signed in or not, and following the report."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from appeals.client_ip import client_bucket, client_ip
from appeals.errors import Refused
from appeals.forms.reports import LocationFormSet, ReportForm, TrackForm
from appeals.models import HarmReport, User
from appeals.selectors.organisations import organisations_of_member
from appeals.selectors.reports import (
    FOLLOW_VIA_LINK,
    FOLLOW_VIA_PIN,
    FollowLocked,
    referrals_of_report,
    report_by_link,
    report_by_pin,
    report_by_reference,
    report_follow_access,
    report_follow_grant,
)
from appeals.services.ratelimit import rate_hit
from appeals.services.reports import (
    Location,
    ReportSubmission,
    report_file,
    report_link_revoke,
)

SESSION_RECEIPT = "report_receipt"
SESSION_TRACKED = "tracked_reports"


def _organisations(request: HttpRequest) -> Any:
    if not request.user.is_authenticated:
        return None
    return organisations_of_member(request.user)


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    organisations = _organisations(request)
    if request.method == "POST":
        form = ReportForm(
            request.POST, request.FILES, signed_in=signed_in, organisations=organisations
        )
        locations = LocationFormSet(request.POST, prefix="loc")
        refused_until = None
        if form.is_valid() & locations.is_valid() and not signed_in:
            refused_until = _filing_refused_until(request)
        if refused_until is not None:
            form.add_error(
                None,
                _(
                    "Many reports have been sent from your connection in a short time. To "
                    "protect this service, you can send this one after %(time)s (in %(wait)s). "
                    "What you wrote is kept below; attach any files again."
                )
                % _when(refused_until),
            )
            response = render(
                request, "reports/new.html", {"form": form, "locations": locations}, status=429
            )
            return _retry_after(response, refused_until)
        if form.is_valid() and locations.is_valid():
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
            except Refused as exc:
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
    report = report_by_reference(receipt["reference"])
    if report is None:
        raise Http404
    if report.pin_hash:
        _grant(request, report, via=FOLLOW_VIA_PIN)
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


def _filing_refused_until(request: HttpRequest) -> datetime | None:
    """Anonymous filings are counted per client address; None: this one may go ahead."""
    window = timedelta(seconds=settings.REPORT_FILING_WINDOW_SECONDS)
    attempt = rate_hit(
        scope="report-filing",
        value=client_bucket(client_ip(request)),
        limit=settings.REPORT_FILINGS_PER_IP,
        window=window,
        lock=window,
    )
    return None if attempt.allowed else attempt.locked_until or timezone.now() + window


def _when(until: datetime) -> dict[str, str]:
    """A moment in the portal's time zone (named) and how long until then, in the
    active language."""
    local = timezone.localtime(until)
    moment = formats.date_format(local, "DATETIME_FORMAT")
    return {"time": f"{moment} {local.tzname()}", "wait": timeuntil(until)}


def _grants(request: HttpRequest) -> dict[str, str]:
    granted = request.session.get(SESSION_TRACKED)
    # Sessions from before grants were checked held a bare list: it grants nothing.
    return dict(granted) if isinstance(granted, dict) else {}


def _grant(request: HttpRequest, report: HarmReport, *, via: str) -> None:
    granted = _grants(request)
    granted[str(report.pk)] = report_follow_grant(report, via=via)
    request.session[SESSION_TRACKED] = granted


def _access(request: HttpRequest, report: HarmReport) -> str | None:
    """How this request may follow the report ("account", "pin", "link"), or None.
    A session's grant is checked against the report on every request, so a revoked
    link or a changed PIN ends it at once."""
    granted = _grants(request)
    grant = granted.get(str(report.pk))
    access = report_follow_access(report, user=request.user, grant=grant)
    if access is None and grant is not None:
        del granted[str(report.pk)]
        request.session[SESSION_TRACKED] = granted
    return access


def _may_follow(request: HttpRequest, report: HarmReport) -> bool:
    return _access(request, report) is not None


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    status = 200
    locked_until = None
    if request.method == "POST" and form.is_valid():
        try:
            report = report_by_pin(
                form.cleaned_data["reference"],
                form.cleaned_data["pin"],
                client_ip=client_ip(request),
            )
        except FollowLocked as locked:
            form.add_error(None, _locked_message(locked))
            form.add_error(
                None,
                _(
                    "While the PIN is locked, the secret link on your receipt still opens "
                    "your report."
                ),
            )
            status, locked_until = 429, locked.until
        else:
            if report is not None:
                _grant(request, report, via=FOLLOW_VIA_PIN)
                return redirect("report_status", reference=report.reference)
            form.add_error(
                None,
                _(
                    "The case number and PIN do not match. Check them and try again. After "
                    "several wrong tries you must wait an hour."
                ),
            )
    if form.errors and status == 200:
        status = 400
    response = render(request, "reports/track.html", {"form": form}, status=status)
    return _retry_after(response, locked_until) if locked_until else response


def _retry_after(response: HttpResponse, until: datetime) -> HttpResponse:
    seconds = int((until - timezone.now()).total_seconds()) + 1
    response["Retry-After"] = str(max(seconds, 1))
    return response


def _locked_message(locked: FollowLocked) -> str:
    if locked.scope == "case":
        return _(
            "This case number is locked after too many wrong PINs. You can try again "
            "after %(time)s (in %(wait)s). The report is still being followed meanwhile."
        ) % _when(locked.until)
    return _(
        "Too many PINs have been tried from your connection. You can try again after "
        "%(time)s (in %(wait)s)."
    ) % _when(locked.until)


@require_safe
def track_link(request: HttpRequest, token: str) -> HttpResponse:
    report = report_by_link(token)
    if report is None:
        return render(request, "reports/link_expired.html", status=404)
    _grant(request, report, via=FOLLOW_VIA_LINK)
    return redirect("report_status", reference=report.reference)


@require_safe
def report_status(request: HttpRequest, reference: str) -> HttpResponse:
    report = report_by_reference(reference.upper())
    if report is None or not _may_follow(request, report):
        raise Http404
    referrals = referrals_of_report(report)
    return render(request, "reports/status.html", {"report": report, "referrals": referrals})


@require_POST
def revoke_link(request: HttpRequest, reference: str) -> HttpResponse:
    report = report_by_reference(reference.upper())
    access = None if report is None else _access(request, report)
    if report is None or access is None:
        raise Http404
    user = request.user
    report_link_revoke(report=report, by=user if user.is_authenticated else None, via=access)
    messages.success(request, _("The secret link no longer works. Use the case number and PIN."))
    if _may_follow(request, report):
        return redirect("report_status", reference=report.reference)
    return redirect("report_track")
