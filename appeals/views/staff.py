"""The staff landing page: which areas this person's roles open."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from appeals.accounts.gates import staff_required
from appeals.accounts.http import AuthenticatedHttpRequest
from appeals.permissions import user_roles
from appeals.roles import Role


@require_safe
@staff_required()
def staff_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles = [Role(name) for name in sorted(user_roles(request.user))]
    return render(
        request,
        "staff/home.html",
        {
            "roles": roles,
            "is_reviewer": Role.REVIEWER in roles or Role.SUPERVISOR in roles,
            "is_supervisor": Role.SUPERVISOR in roles,
            "is_liaison": Role.PLATFORM_LIAISON in roles,
            "is_auditor": Role.AUDITOR in roles,
        },
    )
