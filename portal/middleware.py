"""Small response-header and session middleware the stack does not provide."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from appeals.permissions import is_staff_member
from appeals.views.reports import SESSION_RECEIPT, SESSION_TRACKED
from portal.outage import OUTAGE_ERRORS

Middleware = Callable[[HttpRequest], HttpResponse]


def permissions_policy(get_response: Middleware) -> Middleware:
    """Switch off browser features the portal never uses (camera, location, ...)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


# Pages that show an anonymous visitor nothing about anyone: a shared cache may keep
# them. Everything else is personal or may be: the case and report areas (their start
# pages and forms included), letter verification (it names a case and its outcome),
# staff, audit, API and account pages, error pages.
PUBLIC_PAGES = frozenset(
    {
        "home",
        "statistics",
        "statistics_json",
        "statistics_csv",
        "transparency_report_download",
    }
)
# What an anonymous victim's session carries once it may follow a report: their
# pages are personal even on public addresses.
REPORT_SESSION_KEYS = (SESSION_TRACKED, SESSION_RECEIPT)


def _is_personal(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return True  # a form sent back with errors holds what was typed
    match = request.resolver_match
    if match is None or match.view_name not in PUBLIC_PAGES:
        return True
    if request.user.is_authenticated:
        return True  # the page names them, at least in its header
    session = request.session
    return any(key in session for key in REPORT_SESSION_KEYS)


def private_responses(get_response: Middleware) -> Middleware:
    """``Cache-Control: private, no-store`` on every response that may hold personal
    data, so neither a shared proxy nor the browser's disk keeps a copy (someone
    else at a shared computer, the back button after signing out). Static files
    never get here: WhiteNoise answers them first, with its own long caching."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        try:
            personal = _is_personal(request)
        except OUTAGE_ERRORS:
            personal = True  # the session could not be read: assume the worst
        if personal:
            response.headers["Cache-Control"] = "private, no-store"
        return response

    return middleware


STAFF_SESSION_STARTED = "portal_staff_started"
STAFF_SESSION_SEEN = "portal_staff_seen"
# The idle clock is moved on at most this often, so a page view does not cost a
# session write each; the idle limit is therefore met up to this much early.
STAFF_SESSION_REFRESH_SECONDS = 60


def staff_session_expiry(get_response: Middleware) -> Middleware:
    """Staff sessions end after STAFF_SESSION_IDLE_SECONDS without a request and
    STAFF_SESSION_MAX_SECONDS in all; other sessions keep Django's lifetime.

    Staff see every case of their jurisdictions: a forgotten browser must not stay
    open on them for the two weeks an appellant's session lasts. An ended session
    is signed out before the view runs, so the view answers as to anyone signed out
    (staff pages send them to sign in).
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            staff = request.user.is_authenticated and is_staff_member(request.user)
        except OUTAGE_ERRORS:
            # The view meets the outage too, and portal.outage answers with its page.
            return get_response(request)
        if staff:
            _staff_session_check(request)
        return get_response(request)

    return middleware


def _staff_session_check(request: HttpRequest) -> None:
    session = request.session
    now = time.time()
    started = session.get(STAFF_SESSION_STARTED)
    seen = session.get(STAFF_SESSION_SEEN)
    if not isinstance(started, (int, float)) or not isinstance(seen, (int, float)):
        _move_on(request, started=now, now=now)  # a role granted since signing in
    elif now - started >= settings.STAFF_SESSION_MAX_SECONDS:
        _end(request, _("Your staff session reached its time limit. Sign in again to continue."))
    elif now - seen >= settings.STAFF_SESSION_IDLE_SECONDS:
        _end(request, _("You were signed out because you were away for a while. Sign in again."))
    elif now - seen >= STAFF_SESSION_REFRESH_SECONDS:
        _move_on(request, started=started, now=now)
    # Otherwise no write: the stored expiry still holds.


def _move_on(request: HttpRequest, *, started: float, now: float) -> None:
    session = request.session
    session[STAFF_SESSION_STARTED] = started
    session[STAFF_SESSION_SEEN] = now
    # The stored session (and its cookie) lapse on their own, too.
    remaining = settings.STAFF_SESSION_MAX_SECONDS - (now - started)
    session.set_expiry(max(1, int(min(settings.STAFF_SESSION_IDLE_SECONDS, remaining))))


def staff_session_start(request: HttpRequest, user: Any) -> None:
    """At sign-in: both clocks start now (Django keeps a session's data when the same
    person signs in again), in the session write the sign-in makes anyway."""
    request.session.pop(STAFF_SESSION_STARTED, None)
    request.session.pop(STAFF_SESSION_SEEN, None)
    if is_staff_member(user):
        now = time.time()
        _move_on(request, started=now, now=now)


def _end(request: HttpRequest, message: str) -> None:
    logout(request)
    messages.info(request, message, fail_silently=True)
