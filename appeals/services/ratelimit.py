"""Counting attempts per client or per case across processes, atomically.

The cache is Django's database cache, where ``add`` then ``incr`` is a read and
a write that concurrent requests interleave. Here each attempt is one
``UPDATE ... SET count = count + 1`` on its counter's row, read back inside the
same transaction: on PostgreSQL the row stays locked until commit, and SQLite
takes its write lock at BEGIN (IMMEDIATE transactions), so no two requests see
the same count and a limit of N lets exactly N attempts through.

Counters are operational data, like the cache: no audit event is written.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from appeals.models import RateCounter


@dataclass(frozen=True)
class Attempt:
    """One counted attempt: whether it may go ahead, its number in the window, and
    until when the key is locked (None when it is not)."""

    allowed: bool
    count: int
    locked_until: datetime | None


def _key(scope: str, value: str) -> str:
    message = f"{scope}\x00{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def rate_hit(
    *,
    scope: str,
    value: str,
    limit: int,
    window: timedelta,
    lock: timedelta,
    now: datetime | None = None,
) -> Attempt:
    """Count one attempt for (scope, value). The first ``limit`` attempts in a
    window are allowed; the next one locks the key for ``lock`` from then, and
    attempts while it is locked are refused without being counted."""
    now = now or timezone.now()
    key = _key(scope, value)
    with transaction.atomic():
        if not RateCounter.objects.filter(key=key).exists():
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, scope=scope, count=0, window_started_at=now)
            except IntegrityError:
                pass  # another request created it first: count on its row
        fresh = Q(window_started_at__lte=now - window) | Q(locked_until__lte=now)
        RateCounter.objects.filter(key=key).filter(
            Q(locked_until__isnull=True) | Q(locked_until__lte=now)
        ).update(
            count=Case(When(fresh, then=Value(1)), default=F("count") + 1),
            window_started_at=Case(When(fresh, then=Value(now)), default=F("window_started_at")),
            locked_until=Case(When(fresh, then=Value(None)), default=F("locked_until")),
        )
        row = RateCounter.objects.get(key=key)
        if row.locked_until is not None and row.locked_until > now:
            return Attempt(allowed=False, count=row.count, locked_until=row.locked_until)
        if row.count > limit:
            until = now + lock
            RateCounter.objects.filter(key=key).update(locked_until=until)
            return Attempt(allowed=False, count=row.count, locked_until=until)
        return Attempt(allowed=True, count=row.count, locked_until=None)


def rate_lock(*, scope: str, value: str, lock: timedelta, now: datetime | None = None) -> datetime:
    """Lock (scope, value) from now: the last allowed attempt failed."""
    now = now or timezone.now()
    until = now + lock
    RateCounter.objects.filter(key=_key(scope, value)).update(locked_until=until)
    return until


def rate_refund(*, scope: str, value: str) -> None:
    """Give back one attempt of (scope, value): it proved the secret, so it was no
    guess. A lock already in force stays."""
    RateCounter.objects.filter(
        key=_key(scope, value), count__gt=0, locked_until__isnull=True
    ).update(count=F("count") - 1)


def rate_counters_purge(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Remove counters whose window and lock are long over (run with retention)."""
    now = now or timezone.now()
    cutoff = now - older_than
    deleted, _ = (
        RateCounter.objects.filter(window_started_at__lt=cutoff)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=cutoff))
        .delete()
    )
    return deleted
