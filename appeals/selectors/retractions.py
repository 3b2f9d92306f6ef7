"""Retraction orders as a platform's liaison, or the platform's API key, may read them."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from appeals.models import Appeal, LiaisonProfile, Platform, Retraction, User
from appeals.models.retraction import OPEN_RETRACTION_STATUSES
from appeals.permissions import has_role, liaison_order_scope
from appeals.roles import Role


def liaison_platform_ids(user: User) -> frozenset[int]:
    if not has_role(user, Role.PLATFORM_LIAISON):
        return frozenset()
    profile = LiaisonProfile.objects.filter(user=user).prefetch_related("platforms").first()
    return frozenset(p.pk for p in profile.platforms.all()) if profile else frozenset()


def retraction_get_for_liaison(user: User, retraction_id: uuid.UUID) -> Retraction:
    """An order to one of the liaison's platforms, not on an appeal of their own; else 404."""
    retraction = (
        Retraction.objects.select_related("appeal__takedown", "platform", "decision")
        .filter(pk=retraction_id, platform_id__in=liaison_platform_ids(user))
        .filter(liaison_order_scope(user))
        .first()
    )
    if retraction is None:
        raise Http404
    return retraction


def retractions_open_for_liaison(user: User) -> QuerySet[Retraction]:
    """The open orders to the liaison's platforms, soonest due first."""
    return (
        Retraction.objects.filter(
            platform_id__in=liaison_platform_ids(user), status__in=OPEN_RETRACTION_STATUSES
        )
        .filter(liaison_order_scope(user))
        .select_related("appeal", "platform")
        .order_by("due_at")
    )


def retractions_of_appeal(appeal: Appeal) -> list[Retraction]:
    """The orders a decision on ``appeal`` gave (the caller has the appeal in scope)."""
    return list(
        Retraction.objects.filter(appeal=appeal)
        .select_related("platform", "compensation")
        .order_by("ordered_at")
    )


def retraction_get_for_appeal(appeal: Appeal, retraction_id: uuid.UUID) -> Retraction:
    """One order of ``appeal`` (the caller has the appeal in scope); any other is a 404."""
    retraction = Retraction.objects.filter(pk=retraction_id, appeal=appeal).first()
    if retraction is None:
        raise Http404
    return retraction


def retractions_open_for_platform(platform: Platform) -> QuerySet[Retraction]:
    """The platform's open orders, soonest due first (the API)."""
    return (
        Retraction.objects.filter(platform=platform, status__in=OPEN_RETRACTION_STATUSES)
        .select_related("appeal__takedown")
        .order_by("due_at")
    )


def retraction_for_platform(platform: Platform, retraction_id: uuid.UUID) -> Retraction | None:
    """One of the platform's orders, or None (the API answers 404 in JSON)."""
    return (
        Retraction.objects.filter(pk=retraction_id, platform=platform)
        .select_related("appeal__takedown")
        .first()
    )
