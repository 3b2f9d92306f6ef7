from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from appeals.models import Membership
from appeals.permissions import is_staff_member


def _is_member(user: Any) -> bool:
    known = getattr(user, "_portal_is_member", None)
    if known is not None:
        return bool(known)
    return Membership.objects.filter(user=user, joined_at__isnull=False).exists()


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page's layout needs: whether to show the staff link."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "show_staff_link": signed_in and is_staff_member(user),
        "show_advocate_link": signed_in and _is_member(user),
    }
