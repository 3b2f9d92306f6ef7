"""Organisations as their members see them, and their designations."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from appeals.models import (
    Jurisdiction,
    Membership,
    Organisation,
    TrustedFlaggerDesignation,
    User,
)


def memberships_of(user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(
            user=user, joined_at__isnull=False, organisation__verified_at__isnull=False
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )


def is_trusted_flagger(
    organisation: Organisation | None, jurisdiction: Jurisdiction, on: date | datetime | None = None
) -> bool:
    """DSA Art. 22: designated for this jurisdiction, and the designation is in force."""
    if organisation is None or not organisation.is_verified:
        return False
    day = on.date() if isinstance(on, datetime) else (on or timezone.localdate())
    return TrustedFlaggerDesignation.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        organisation=organisation,
        jurisdiction=jurisdiction,
        valid_from__lte=day,
    ).exists()
