from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from appeals.permissions import is_staff_member


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page's layout needs: whether to show the staff link."""
    user = getattr(request, "user", None)
    return {"show_staff_link": bool(user is not None and is_staff_member(user))}
