"""The admin site, reached only through allauth's sign-in and the staff MFA gate."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from appeals.accounts.gates import mfa_gate_redirect, mfa_used_this_session


class PortalAdminSite(admin.AdminSite):
    site_header = _("Redress portal administration")
    site_title = _("Redress portal administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and mfa_used_this_session(request)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Django's own login form would bypass allauth's rate limits and MFA.
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        if not (request.user.is_active and request.user.is_staff):
            raise Http404
        gate = mfa_gate_redirect(request, next_url)
        return gate if gate is not None else redirect(next_url)
