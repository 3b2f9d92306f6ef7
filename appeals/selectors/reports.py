"""Harm reports and their referrals as each person may read them: by PIN or secret link
for a reporter without an account, for an organisation's members, and for staff."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from appeals.client_ip import client_bucket
from appeals.models import (
    HarmReport,
)
from appeals.services.ratelimit import rate_hit, rate_lock


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
