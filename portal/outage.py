"""A calm 503 page when the database cannot be reached, instead of a server error.

When PostgreSQL restarts or the connection drops, a request fails with
OperationalError or InterfaceError. The person gets a page saying that nothing was
saved and to try again in a minute; after a POST the page carries every field they
sent as hidden inputs, with a "Try again" button that sends them again to the same
address (no JavaScript). Files cannot be kept: the page asks for them again.
Passwords and other fields a view marks as sensitive are not written into the page.

The page is rendered without the request (no context processors, no session, no
user): nothing on it may touch the database. Two ways in, one renderer:
``DatabaseOutageMiddleware.process_exception`` for errors raised by a view, and
``server_error`` (handler500) for errors raised by a middleware, such as the session
middleware saving the session after the view returned.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

logger = logging.getLogger("portal.outage")

OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60
TEMPLATE = "database_unavailable.html"


def is_database_outage(exception: BaseException | None) -> bool:
    return isinstance(exception, OUTAGE_ERRORS)


def _is_sensitive(request: HttpRequest, name: str) -> bool:
    marked = getattr(request, "sensitive_post_parameters", ())  # set by the view's decorator
    return marked == "__ALL__" or name in marked or "password" in name.lower()


def _posted(request: HttpRequest) -> dict[str, Any]:
    """What the form sent, as far as it can be read again without failing."""
    try:
        post, files = request.POST, request.FILES
    except Exception:  # an unreadable body: offer a plain reload instead
        logger.warning("Outage page: the request body could not be read again")
        return {"fields": [], "file_fields": [], "dropped_sensitive": False}
    fields: list[tuple[str, str]] = []
    dropped = False
    for name in post:
        if _is_sensitive(request, name):
            dropped = True
            continue
        fields.extend((name, value) for value in post.getlist(name))
    return {"fields": fields, "file_fields": list(files), "dropped_sensitive": dropped}


def outage_response(request: HttpRequest) -> HttpResponse:
    """The 503 page for ``request``; reads nothing from the database."""
    # The same address; never "//host/..." (another site) from a path with two slashes.
    action = "/" + request.get_full_path().lstrip("/")
    context: dict[str, Any] = {"action": action, "is_post": False}
    if request.method == "POST":
        context.update(is_post=True, **_posted(request))
    html = loader.get_template(TEMPLATE).render(context)  # no request: no context processors
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)  # it may hold what the person typed
    return response


class DatabaseOutageMiddleware:
    """Answer 503 with the outage page when a view fails to reach the database."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        logger.warning(
            "Database unavailable during %s %s: %s", request.method, request.path, exception
        )
        return outage_response(request)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: the outage page when the uncaught error is the database going away
    (raised outside a view, e.g. while saving the session), Django's 500 page otherwise."""
    if is_database_outage(sys.exc_info()[1]):
        try:
            return outage_response(request)
        except Exception:
            logger.exception("The outage page could not be rendered")
    return defaults.server_error(request, template_name)
