"""What platforms do through the API: keys, statements of reasons, retraction answers."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.importers import RowError, normalise
from appeals.models import (
    AuditAction,
    Platform,
    PlatformToken,
    Retraction,
    RetractionStatus,
    Takedown,
    User,
)
from appeals.services.audit import audit_record
from appeals.services.imports import _takedown
from appeals.services.retractions import RetractionRefused, _done, _locked
from appeals.states import IllegalTransition, StaleState, retraction_transition

MAX_STATEMENTS = 100
LAST_USED_EVERY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def platform_token_issue(
    *, platform: Platform, name: str, by: User | None, via: str = ""
) -> tuple[str, PlatformToken]:
    """A new API key; the plain key is returned once and never stored. ``via`` says how
    it was asked for when no portal account did (the command and its system user)."""
    token = "rp_" + secrets.token_urlsafe(32)
    row = PlatformToken.objects.create(
        platform=platform, name=name, prefix=token[:10], token_hash=token_hash(token), created_by=by
    )
    audit_record(
        action=AuditAction.API_TOKEN_ISSUED,
        actor=by,
        target=platform,
        details={"prefix": row.prefix, "name": name, **({"via": via} if via else {})},
    )
    return token, row


@transaction.atomic
def platform_token_revoke(
    *, platform: Platform, prefix: str, by: User | None, via: str = ""
) -> int:
    """Revoke the platform's live keys that start with ``prefix``; returns how many."""
    rows = list(
        PlatformToken.objects.select_for_update().filter(
            platform=platform, prefix=prefix, revoked_at__isnull=True
        )
    )
    now = timezone.now()
    for row in rows:
        row.revoked_at = now
        row.save(update_fields=["revoked_at"])
        audit_record(
            action=AuditAction.API_TOKEN_REVOKED,
            actor=by,
            target=platform,
            details={"prefix": row.prefix, **({"via": via} if via else {})},
        )
    return len(rows)


def platform_for_token(token: str) -> PlatformToken | None:
    row = (
        PlatformToken.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .select_related("platform")
        .first()
    )
    now = timezone.now()
    # Recorded at most once a minute: a write per API request would cost more than the request.
    if row is not None and (row.last_used_at is None or now - row.last_used_at > LAST_USED_EVERY):
        PlatformToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row


def api_key_details(token: PlatformToken) -> dict[str, Any]:
    """How the audit trail names what a platform did through the API: the platform and
    the key it used (its id, the prefix shown when it was issued, and its name)."""
    return {
        "via": "api",
        "platform": {"id": token.platform_id, "slug": token.platform.slug},
        "api_key": {"id": token.pk, "prefix": token.prefix, "name": token.name},
    }


def statements_receive(*, token: PlatformToken, body: Any) -> dict[str, Any]:
    """Statements of reasons sent by the platform itself (the DSA Transparency
    Database's API body). The platform is the key's platform, whatever the body says."""
    platform = token.platform
    items = body.get("statements", [body]) if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise ValueError(_('Send one statement, or {"statements": [...]} with 1 to 100.'))
    if len(items) > MAX_STATEMENTS:
        raise ValueError(_("Send at most 100 statements at a time."))
    created, duplicates = 0, 0
    errors: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    with transaction.atomic():
        for index, item in enumerate(items):
            raw = dict(item) if isinstance(item, dict) else {}
            raw["platform_name"] = platform.name
            statement = normalise(raw, index)
            if isinstance(statement, RowError):
                errors.append({"index": index, "message": statement.message})
                continue
            warnings.extend({"index": index, "message": w} for w in statement.warnings)
            key = statement.uuid or statement.puid
            if Takedown.objects.filter(platform=platform, platform_reference=key).exists():
                duplicates += 1
                continue
            Takedown.objects.bulk_create([_takedown(statement, platform)], ignore_conflicts=True)
            created += 1
        audit_record(
            action=AuditAction.STATEMENTS_RECEIVED,
            target=platform,
            details={
                "created": created,
                "duplicates": duplicates,
                "errors": len(errors),
                **api_key_details(token),
            },
        )
    return {"created": created, "duplicates": duplicates, "errors": errors, "warnings": warnings}


def _own(retraction: Retraction, platform: Platform) -> Retraction:
    locked = _locked(retraction)
    if locked.platform_id != platform.pk:
        raise RetractionRefused(_("This order is not for your platform."))
    return locked


def retraction_confirm_by_platform(
    *, retraction: Retraction, token: PlatformToken, proof: str, done_at: datetime
) -> Retraction:
    """The platform confirms an order done with its API key; the event names the key."""
    now = timezone.now()
    if not proof.strip():
        raise RetractionRefused(_("Say what shows it is done, for example the address."))
    if done_at > now:
        raise RetractionRefused(_("The date it was done cannot be in the future."))
    with transaction.atomic():
        locked = _own(retraction, token.platform)
        _done(
            locked,
            by=None,
            proof=f"{proof.strip()} (api key {token.prefix})",
            done_at=done_at,
            now=now,
            via=api_key_details(token),
        )
    return locked


def retraction_dispute_by_platform(
    *, retraction: Retraction, token: PlatformToken, reason: str
) -> Retraction:
    """The platform disputes an order with its API key; the event names the key."""
    from appeals.models import Escalation

    now = timezone.now()
    if not reason.strip():
        raise RetractionRefused(_("Say why the platform disputes this order."))
    with transaction.atomic():
        locked = _own(retraction, token.platform)
        try:
            retraction_transition(
                locked, RetractionStatus.DISPUTED, dispute_reason=reason.strip(), disputed_at=now
            )
        except (IllegalTransition, StaleState) as exc:
            raise RetractionRefused(_("This order can no longer be disputed.")) from exc
        Escalation.objects.get_or_create(
            kind=Escalation.Kind.RETRACTION_DISPUTED,
            appeal=locked.appeal,
            retraction=locked,
            due_at=locked.due_at,
            defaults={"created_at": now},
        )
        audit_record(
            action=AuditAction.RETRACTION_DISPUTED,
            target=locked.appeal,
            details={"retraction": str(locked.pk), **api_key_details(token)},
            occurred_at=now,
        )
    return locked
