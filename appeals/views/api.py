"""The platform API (JSON). Keys, not sessions: every request carries
``Authorization: Bearer <key>`` and sees only its own platform's data."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from appeals.api_schema import SCHEMA
from appeals.errors import Refused
from appeals.models import PlatformToken, Retraction
from appeals.paging import BIGINT_MAX, id_cursor
from appeals.selectors.appeals import appeals_for_platform
from appeals.selectors.retractions import retraction_for_platform, retractions_open_for_platform
from appeals.services.platform_api import (
    platform_for_token,
    retraction_confirm_by_platform,
    retraction_dispute_by_platform,
    statements_receive,
)

PAGE = 100
MAX_BODY = 2 * 1024 * 1024


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def platform_api(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    """Key authentication. CSRF protection is not needed and is switched off on
    purpose: these endpoints never read cookies or the session, so a forged
    cross-site request carries no credentials (tested with a signed-in session)."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        header = request.headers.get("Authorization", "")
        scheme, _, key = header.partition(" ")
        token = platform_for_token(key.strip()) if scheme.lower() == "bearer" and key else None
        if token is None:
            response = _error("A valid API key is required (Authorization: Bearer <key>).", 401)
            response["WWW-Authenticate"] = 'Bearer realm="platform-api"'
            return response
        return view(request, token, *args, **kwargs)

    return wrapped


def _body(request: HttpRequest) -> Any:
    if len(request.body) > MAX_BODY:
        raise ValueError("The body is larger than 2 MB.")
    try:
        body = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise ValueError("The body is not valid JSON.") from exc
    _refuse_unstorable_text(body)
    return body


def _refuse_unstorable_text(value: Any) -> None:
    """JSON may escape characters no database text can hold: NUL (\\u0000) and lone
    surrogates (\\ud800). Refuse them here rather than fail while storing."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                raise ValueError("Text must not contain NUL characters (\\u0000).")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError(
                    "Text must not contain lone surrogates (\\ud800-\\udfff)."
                ) from exc


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 12, 31, 23, 59, 59, tzinfo=UTC)


def _api_datetime(raw: Any, name: str) -> datetime:
    """An ISO 8601 date-time with a time zone, between 2000 and 2100 once in UTC.
    Raises ValueError with the sentence the client gets: a date at the end of the
    calendar with an offset (year 1 at +14:00) has no UTC value to store."""
    wanted = (
        f"{name} must be an ISO 8601 date-time with a time zone, for example "
        "2026-11-02T10:00:00+01:00"
    )
    try:
        given = parse_datetime(raw) if isinstance(raw, str) else None
        if given is None or timezone.is_naive(given):
            raise ValueError(wanted + ".")
        in_utc = given.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise ValueError(wanted + ".") from exc
    if not EARLIEST <= in_utc <= LATEST:
        raise ValueError(f"{wanted}, between 2000-01-01 and 2100-12-31.")
    return in_utc


def _retraction_json(r: Retraction) -> dict[str, Any]:
    return {
        "id": str(r.pk),
        "appeal": r.appeal.reference,
        "remedy": r.remedy,
        "status": r.status,
        "due_at": r.due_at.isoformat(),
        "content_url": r.appeal.takedown.content_url,
        "platform_reference": r.appeal.takedown.platform_reference,
    }


@require_GET
@platform_api
def openapi(request: HttpRequest, token: PlatformToken) -> JsonResponse:
    return JsonResponse(SCHEMA)


@require_GET
@platform_api
def appeals(request: HttpRequest, token: PlatformToken) -> JsonResponse:
    raw_after = request.GET.get("after", "")
    after = id_cursor(raw_after)
    if raw_after and after is None:
        return _error(
            f"after must be the next_after of the previous page: digits 0-9, at most {BIGINT_MAX}.",
            400,
        )
    rows = appeals_for_platform(token.platform)
    if after is not None:
        rows = rows.filter(id__gt=after)
    page = list(rows[: PAGE + 1])
    more = len(page) > PAGE
    page = page[:PAGE]
    return JsonResponse(
        {
            "appeals": [
                {
                    "id": a.pk,
                    "reference": a.reference,
                    "status": a.status,
                    "filed_at": a.filed_at.isoformat(),
                    "due_at": a.due_at.isoformat(),
                    "platform_reference": a.takedown.platform_reference,
                    "content_url": a.takedown.content_url,
                    "measures": a.takedown.measures,
                    "grounds": a.grounds,
                    "remedies": a.remedies,
                }
                for a in page
            ],
            "next_after": page[-1].pk if more else None,
        }
    )


@require_GET
@platform_api
def retractions(request: HttpRequest, token: PlatformToken) -> JsonResponse:
    rows = retractions_open_for_platform(token.platform)[:PAGE]
    return JsonResponse({"retractions": [_retraction_json(r) for r in rows]})


@require_POST
@platform_api
def confirm(request: HttpRequest, token: PlatformToken, retraction_id: uuid.UUID) -> JsonResponse:
    retraction = retraction_for_platform(token.platform, retraction_id)
    if retraction is None:
        return _error("No such order for your platform.", 404)
    try:
        body = _body(request)
        if not isinstance(body, dict) or not isinstance(body.get("proof"), str):
            raise ValueError('Send {"proof": "...", "done_at": "<ISO date-time>"}.')
        done_at: datetime = timezone.now()
        if body.get("done_at") is not None:
            done_at = _api_datetime(body["done_at"], "done_at")
    except ValueError as exc:
        return _error(str(exc), 400)
    try:
        retraction_confirm_by_platform(
            retraction=retraction,
            token=token,
            proof=body["proof"],
            done_at=done_at,
        )
    except Refused as exc:
        return _error(exc.message, 409)
    retraction.refresh_from_db()
    return JsonResponse(_retraction_json(retraction))


@require_POST
@platform_api
def dispute(request: HttpRequest, token: PlatformToken, retraction_id: uuid.UUID) -> JsonResponse:
    retraction = retraction_for_platform(token.platform, retraction_id)
    if retraction is None:
        return _error("No such order for your platform.", 404)
    try:
        body = _body(request)
        if not isinstance(body, dict) or not isinstance(body.get("reason"), str):
            raise ValueError('Send {"reason": "..."}.')
    except ValueError as exc:
        return _error(str(exc), 400)
    try:
        retraction_dispute_by_platform(
            retraction=retraction,
            token=token,
            reason=body["reason"],
        )
    except Refused as exc:
        return _error(exc.message, 409)
    retraction.refresh_from_db()
    return JsonResponse(_retraction_json(retraction))


@require_POST
@platform_api
def statements(request: HttpRequest, token: PlatformToken) -> JsonResponse:
    try:
        result = statements_receive(token=token, body=_body(request))
    except ValueError as exc:
        return _error(str(exc), 400)
    return JsonResponse(result)
