"""The request a view gets once a gate has let a signed-in person through."""

from __future__ import annotations

from django.http import HttpRequest

from appeals.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An ``HttpRequest`` whose ``user`` is a signed-in ``User``.

    For annotations only: a view behind ``login_required`` or ``staff_required`` takes
    one, so it passes ``request.user`` on without a cast. Nothing creates one."""

    user: User
