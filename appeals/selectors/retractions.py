"""Retraction orders as a platform's liaison, or the platform's API key, may read them."""

from __future__ import annotations

from appeals.models import (
    User,
)
from appeals.permissions import has_role
from appeals.roles import Role


def liaison_platform_ids(user: User) -> frozenset[int]:
    if not has_role(user, Role.PLATFORM_LIAISON):
        return frozenset()
    from appeals.models import LiaisonProfile

    profile = LiaisonProfile.objects.filter(user=user).prefetch_related("platforms").first()
    return frozenset(p.pk for p in profile.platforms.all()) if profile else frozenset()
