"""Organisations as their members see them, and their designations."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.http import Http404
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


def organisation_ids_of_member(user: User) -> set[uuid.UUID]:
    """The verified organisations ``user`` is an active member of."""
    return {m.organisation_id for m in memberships_of(user)}


def organisations_of_member(user: User) -> QuerySet[Organisation]:
    """Those organisations, by name (a reporter files for one of them)."""
    ids = [m.organisation_id for m in memberships_of(user)]
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def organisation_get_for_member(user: User, organisation_id: uuid.UUID) -> Organisation:
    """An organisation ``user`` is an active member of; any other is a 404."""
    if organisation_id not in organisation_ids_of_member(user):
        raise Http404
    return Organisation.objects.get(pk=organisation_id)
