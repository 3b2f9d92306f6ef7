"""Request gates: who may pass to a view, given the rules of ``appeals.permissions``.

Signed in, holding the role, and past the second factor for staff; a GET that records
something refused when another site started it. The only module besides the account
adapter and signals that reads allauth's session records.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from appeals.permissions import has_role, is_staff_member
from appeals.roles import Role

ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponseBase])


def has_second_factor(user: Any) -> bool:
    """The user has set up a second factor (loaded with the user when signed in)."""
    known = getattr(user, "_portal_has_mfa", None)
    return bool(known) if known is not None else is_mfa_enabled(user)


def mfa_used_this_session(request: HttpRequest) -> bool:
    """The signed-in user has a second factor and proved it in this session."""
    user = request.user
    if not user.is_authenticated or not has_second_factor(user):
        return False
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)


def mfa_gate_redirect(request: HttpRequest, next_url: str) -> HttpResponse | None:
    """Where a staff member must go before seeing case data, or None if they may pass.

    Staff must have two-step verification set up, and must have used it in
    this session (allauth asks for it at sign-in once it is set up).
    """
    if mfa_used_this_session(request):
        return None
    query = urlencode({"next": next_url})
    if not has_second_factor(request.user):
        messages.info(
            request,
            _(
                "Staff accounts need two-step verification. Set up an authenticator app "
                "to continue."
            ),
        )
        return redirect(f"{reverse('mfa_activate_totp')}?{query}")
    return redirect(f"{reverse('mfa_reauthenticate')}?{query}")


def staff_required(*roles: Role) -> Callable[[ViewT], ViewT]:
    """Allow signed-in holders of one of ``roles`` (any staff role if none given)
    who have passed the second factor. Others get the sign-in page or a 404,
    so the existence of staff pages is not revealed to the public.
    """

    def decorator(view: ViewT) -> ViewT:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            allowed = has_role(request.user, *roles) if roles else is_staff_member(request.user)
            if not allowed:
                raise Http404
            gate = mfa_gate_redirect(request, request.get_full_path())
            if gate is not None:
                return gate
            return view(request, *args, **kwargs)

        return cast(ViewT, wrapped)

    return decorator


# Sec-Fetch-Site values a browser sends for a request the person made on the portal
# itself, or typed, bookmarked or opened from outside any page ("none").
_OWN_NAVIGATION = frozenset({"same-origin", "none"})


def cross_site_refused(view: ViewT) -> ViewT:
    """Refuse a GET that records something (an evidence opening, an export) when
    another site started it: a link or image elsewhere must not write to a staff
    member's or appellant's audit trail in their name.

    Browsers say where a request came from in ``Sec-Fetch-Site``. ``same-site`` (a
    sibling sub-domain) is refused too: the portal's pages never link here from
    one, and a sibling may host content no one vetted. A missing header (an old
    browser, a script) passes, so old clients keep working; SameSite=Lax session
    cookies still travel on top-level cross-site navigations, hence this check.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        origin = request.headers.get("Sec-Fetch-Site")
        if origin is not None and origin not in _OWN_NAVIGATION:
            return render(request, "403_cross_site.html", status=403)
        return view(request, *args, **kwargs)

    return cast(ViewT, wrapped)
