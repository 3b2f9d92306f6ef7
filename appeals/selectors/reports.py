"""Harm reports and their referrals as each person may read them: by PIN or secret link
for a reporter without an account, for an organisation's members, and for staff."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from appeals.client_ip import client_bucket
from appeals.models import HarmReport, Membership, Referral, User
from appeals.models.report import OPEN_REFERRAL_STATUSES
from appeals.permissions import can_change_referral, can_see_report_as_staff, staff_referral_scope
from appeals.selectors.organisations import memberships_of, organisation_ids_of_member
from appeals.services.ratelimit import rate_hit, rate_lock, rate_refund


class FollowLocked(Exception):
    """Too many PIN tries: from this client (scope "client") or for this case number
    (scope "case"). ``until`` is when tries are accepted again."""

    def __init__(self, *, until: datetime, scope: str) -> None:
        super().__init__(f"locked until {until.isoformat()} ({scope})")
        self.until = until
        self.scope = scope


@lru_cache(maxsize=1)
def _dummy_pin_hash() -> str:
    # Hashed once per process: an unknown case number costs the same PIN check.
    return make_password(secrets.token_urlsafe(16))


def report_by_pin(
    reference: str, pin: str, *, client_ip: str | None = None, now: datetime | None = None
) -> HarmReport | None:
    """Case number and PIN. Tries are counted atomically per client address (when
    given) and per case number, before the PIN is checked; the try that uses up a
    limit locks it for PIN_LOCK_SECONDS (FollowLocked). Unknown case numbers do
    the same work: the same counters and a PIN check against a dummy hash."""
    now = now or timezone.now()
    reference = reference.strip().upper()[:20]
    window = timedelta(hours=1)
    lock = timedelta(seconds=settings.PIN_LOCK_SECONDS)
    by_client = None
    if client_ip is not None:
        by_client = rate_hit(
            scope="pin-client",
            value=client_bucket(client_ip),
            limit=settings.PIN_ATTEMPTS_PER_IP,
            window=window,
            lock=lock,
            now=now,
        )
        if not by_client.allowed:
            raise FollowLocked(until=by_client.locked_until or now + lock, scope="client")
    by_case = rate_hit(
        scope="pin-case",
        value=reference,
        limit=settings.PIN_ATTEMPTS_PER_CASE,
        window=window,
        lock=lock,
        now=now,
    )
    if not by_case.allowed:
        raise FollowLocked(until=by_case.locked_until or now + lock, scope="case")
    report = HarmReport.objects.filter(reference=reference).first()
    known = report is not None and bool(report.pin_hash)
    encoded = report.pin_hash if report is not None and known else _dummy_pin_hash()
    if check_password(pin.strip(), encoded) and known:
        if client_ip is not None:
            # A right PIN is no guess: it does not use up the address's tries, so a
            # victim (or a shelter's shared connection) checking often is never locked
            # out. The case's own count still bounds guesses at it from many addresses.
            rate_refund(scope="pin-client", value=client_bucket(client_ip))
        return report
    if by_case.count >= settings.PIN_ATTEMPTS_PER_CASE:
        until = rate_lock(scope="pin-case", value=reference, lock=lock, now=now)
        raise FollowLocked(until=until, scope="case")
    if (
        client_ip is not None
        and by_client is not None
        and by_client.count >= settings.PIN_ATTEMPTS_PER_IP
    ):
        bucket = client_bucket(client_ip)
        until = rate_lock(scope="pin-client", value=bucket, lock=lock, now=now)
        raise FollowLocked(until=until, scope="client")
    return None


def report_by_link(token: str, now: datetime | None = None) -> HarmReport | None:
    now = now or timezone.now()
    digest = hashlib.sha256(token.encode()).hexdigest()
    return HarmReport.objects.filter(
        link_token_hash=digest, link_revoked_at__isnull=True, link_expires_at__gt=now
    ).first()


# What a browser session keeps once someone proved they hold the PIN or the link: a
# keyed fingerprint of that secret's stored hash, checked on every request. Revoking
# the link, its expiry, a changed or removed PIN (retention removes both) end every
# session that relied on it, whenever it was opened.
FOLLOW_VIA_PIN = "pin"


FOLLOW_VIA_LINK = "link"


def _fingerprint(stored_hash: str) -> str:
    return salted_hmac("appeals.report-follow", stored_hash).hexdigest()[:32]


def report_follow_grant(report: HarmReport, *, via: str) -> str:
    if via == FOLLOW_VIA_LINK:
        return f"{FOLLOW_VIA_LINK}:{_fingerprint(report.link_token_hash)}"
    return f"{FOLLOW_VIA_PIN}:{_fingerprint(report.pin_hash)}"


def report_follow_grant_holds(
    report: HarmReport, grant: object, now: datetime | None = None
) -> bool:
    now = now or timezone.now()
    via, _sep, fingerprint = str(grant).partition(":")
    if via == FOLLOW_VIA_LINK:
        secret = report.link_token_hash
        usable = (
            bool(secret)
            and report.link_revoked_at is None
            and report.link_expires_at is not None
            and report.link_expires_at > now
        )
    elif via == FOLLOW_VIA_PIN:
        secret = report.pin_hash
        usable = bool(secret)
    else:
        return False
    return usable and constant_time_compare(fingerprint, _fingerprint(secret))


def report_by_reference(reference: str) -> HarmReport | None:
    """The report with this case number, or None. Unscoped: the caller asks
    ``report_follow_access`` (or holds the receipt of the filing) first."""
    return HarmReport.objects.filter(reference=reference).first()


def report_follow_access(report: HarmReport, *, user: Any, grant: object | None) -> str | None:
    """How ``user``, holding the session's ``grant`` for this report (or None), may
    follow it: "account" (they filed it, or are a member of its organisation), "pin"
    or "link"; None if they may not."""
    if user.is_authenticated and (
        report.filed_by_id == user.pk
        or report.organisation_id in {m.organisation_id for m in memberships_of(user)}
    ):
        return "account"
    if grant is None:
        return None
    if report_follow_grant_holds(report, grant):
        return str(grant).partition(":")[0]
    return None


def referrals_of_report(report: HarmReport) -> list[Referral]:
    """The report's referrals, soonest due first (the caller has the report in scope)."""
    return list(
        Referral.objects.filter(report=report)
        .select_related("platform", "jurisdiction")
        .order_by("due_at")
    )


# --- An organisation's members --------------------------------------------------------


def report_get_for_member(user: User, reference: str) -> HarmReport:
    """A report filed for an organisation ``user`` is an active member of; else 404."""
    report = (
        HarmReport.objects.filter(
            reference=reference.upper(), organisation_id__in=organisation_ids_of_member(user)
        )
        .select_related("organisation")
        .first()
    )
    if report is None:
        raise Http404
    return report


def referrals_for_members(memberships: list[Membership]) -> QuerySet[Referral]:
    """The referrals of the reports filed for these (the person's own) memberships."""
    return (
        Referral.objects.filter(
            report__organisation_id__in=[m.organisation_id for m in memberships]
        )
        .select_related("report", "platform", "jurisdiction")
        .order_by("due_at")
    )


def referral_get_for_report(report: HarmReport, referral_id: uuid.UUID) -> Referral:
    """One referral of ``report`` (the caller has the report in scope); else 404."""
    referral = (
        Referral.objects.filter(pk=referral_id, report=report)
        .select_related("report", "platform", "jurisdiction")
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def referrals_export_for_member(user: User, organisation_id: uuid.UUID) -> QuerySet[Referral]:
    """Every referral of an organisation ``user`` is an active member of, for its
    records; any other organisation is a 404."""
    if organisation_id not in organisation_ids_of_member(user):
        raise Http404
    return (
        Referral.objects.filter(report__organisation_id=organisation_id)
        .select_related("report", "platform", "jurisdiction")
        .order_by("report__filed_at", "due_at")
    )


# --- Staff -----------------------------------------------------------------------------


def report_get_for_staff(user: User, reference: str) -> HarmReport:
    """A report the staff member may see: one of its countries is theirs (all for
    supervisors), and not one they filed; else 404."""
    report = HarmReport.objects.filter(reference=reference.upper()).first()
    if report is None or not can_see_report_as_staff(user, report):
        raise Http404
    return report


def referrals_open_for_staff(user: User) -> QuerySet[Referral]:
    """The open referrals of the staff member's countries, soonest due first."""
    return (
        Referral.objects.filter(status__in=OPEN_REFERRAL_STATUSES)
        .filter(staff_referral_scope(user))
        .select_related("report", "platform", "jurisdiction")
        .order_by("due_at")
    )


def referral_get_for_staff_to_change(
    user: User, report: HarmReport, referral_id: uuid.UUID
) -> Referral:
    """A referral of ``report`` the staff member may record an answer on; else 404."""
    referral = (
        Referral.objects.filter(pk=referral_id, report=report).select_related("report").first()
    )
    if referral is None or not can_change_referral(user, referral):
        raise Http404
    return referral
