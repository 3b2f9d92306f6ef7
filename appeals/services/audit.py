"""The only writer of the audit trail.

Each event stores the previous event's hash and its own, a SHA-256 over a
canonical form of its content, so removing, reordering or editing any event
breaks the chain at that point. Appends are serialised: on PostgreSQL by a
transaction-scoped advisory lock, on SQLite by IMMEDIATE transactions (see
settings), so concurrent writers never fork the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from appeals.models import (
    Appeal,
    AuditAction,
    AuditEvent,
    HarmReport,
    Jurisdiction,
    Organisation,
    Platform,
    Takedown,
    User,
)
from appeals.models.audit import GENESIS_HASH

# Any constant works: it names the one lock every audit append takes.
_AUDIT_LOCK_KEY = 0x41554454  # "AUDT"

# Which typed key of AuditEvent holds a target of each model.
_TARGET_FIELDS: dict[type[models.Model], str] = {
    User: "user",
    Jurisdiction: "jurisdiction",
    Platform: "platform",
    Takedown: "takedown",
    Appeal: "appeal",
    HarmReport: "harm_report",
    Organisation: "organisation",
}
# Platform-level events (API keys, statements received) name the platform.


def _canonical_details(details: dict[str, Any] | None) -> dict[str, Any]:
    """Round-trip through JSON so what we hash is exactly what the database returns."""
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))


def event_hash(
    *,
    prev_hash: str,
    occurred_at: Any,
    actor_id: int | None,
    actor_repr: str,
    action: str,
    target_ids: dict[str, int | str],
    object_repr: str,
    details: dict[str, Any],
) -> str:
    payload = {
        "prev": prev_hash,
        "at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_repr": actor_repr,
        "action": action,
        "targets": target_ids,
        "object_repr": object_repr,
        "details": details,
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _target_ids(event: AuditEvent) -> dict[str, int | str]:
    # Only the keys that are set: adding a new kind of target later leaves
    # every earlier hash valid.
    ids = {field: getattr(event, f"{field}_id") for field in sorted(_TARGET_FIELDS.values())}
    # Integer keys as numbers, UUID keys as text: JSON-stable either way.
    return {
        field: value if isinstance(value, int) else str(value)
        for field, value in ids.items()
        if value is not None
    }


def _hash_of(event: AuditEvent) -> str:
    """The event's hash over its content and ``prev_hash`` (as stored, or about to be)."""
    return event_hash(
        prev_hash=event.prev_hash,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_repr=event.actor_repr,
        action=event.action,
        target_ids=_target_ids(event),
        object_repr=event.object_repr,
        details=event.details,
    )


def _new_event(
    *,
    action: AuditAction,
    actor: User | None,
    target: models.Model | None,
    details: dict[str, Any] | None,
    occurred_at: datetime | None,
) -> AuditEvent:
    if not isinstance(action, AuditAction):
        action = AuditAction(action)
    event = AuditEvent(
        occurred_at=occurred_at or timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_repr=str(actor) if actor is not None and actor.pk else "system",
        action=action.value,
        details=_canonical_details(details),
    )
    if target is not None:
        # __class__, not type(): request.user is a lazy proxy of the real user.
        field = _TARGET_FIELDS.get(target.__class__)
        if field is None:
            raise TypeError(f"The audit trail has no key for {type(target).__name__}")
        setattr(event, field, target)
        event.object_repr = str(target)[:300]
    event.actor_repr = event.actor_repr[:300]
    return event


def _append(events: list[AuditEvent]) -> None:
    """Chain ``events`` after the last stored one and insert them, under the append lock."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        previous = last or GENESIS_HASH
        for event in events:
            event.prev_hash = previous
            event.hash = _hash_of(event)
            previous = event.hash
        if len(events) == 1:
            events[0].save(force_insert=True)
        elif connection.vendor == "postgresql" and len(events) >= _COPY_FROM:
            _copy_events(events)
        else:
            # One statement; ids follow the list order, as the chain does.
            AuditEvent.objects.bulk_create(events)


# A sweep's batch of a thousand events goes in with COPY (a third of the time of a
# thousand-row INSERT, most of which is building the statement).
_COPY_FROM = 100


def _copy_events(events: list[AuditEvent]) -> None:
    """Insert chained events with PostgreSQL's COPY, ids taken from the table's own
    sequence in the chain's order (appends hold the advisory lock, so nobody else
    takes ids from it meanwhile)."""
    table = AuditEvent._meta.db_table
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(events)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        names = ", ".join(
            [
                connection.ops.quote_name("id"),
                *(connection.ops.quote_name(f.column) for f in fields),
            ]
        )
        with cursor.cursor.copy(  # type: ignore[attr-defined]
            f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
        ) as copy:
            for pk, event in zip(ids, events, strict=True):
                event.pk = pk
                event._state.adding, event._state.db = False, connection.alias
                copy.write_row(
                    [
                        pk,
                        *(
                            json.dumps(getattr(event, f.attname))
                            if isinstance(f, models.JSONField)
                            else getattr(event, f.attname)
                            for f in fields
                        ),
                    ]
                )


def audit_record(
    *,
    action: AuditAction,
    actor: User | None = None,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
    occurred_at: datetime | None = None,
) -> AuditEvent:
    """Append one event to the audit trail, inside the caller's transaction.

    ``occurred_at`` is the service's own "now" (the same instant it stored on
    the case), so the trail and the case agree. Call it last in a service
    function: the append lock is held until the surrounding transaction commits.
    """
    event = _new_event(
        action=action, actor=actor, target=target, details=details, occurred_at=occurred_at
    )
    _append([event])
    return event


@dataclass(frozen=True)
class AuditEntry:
    action: AuditAction
    target: models.Model | None = None
    details: dict[str, Any] | None = None
    actor: User | None = None


def audit_record_many(*, entries: list[AuditEntry], occurred_at: datetime) -> list[AuditEvent]:
    """Append several events at once (a sweep's batch), in order, inside the
    caller's transaction: one lock, one read of the chain's end, one insert."""
    events = [
        _new_event(
            action=entry.action,
            actor=entry.actor,
            target=entry.target,
            details=entry.details,
            occurred_at=occurred_at,
        )
        for entry in entries
    ]
    if events:
        _append(events)
    return events


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def _events_in_order(batch: int = 2000) -> Iterator[AuditEvent]:
    # Keyset pagination: bounded memory and no OFFSET scans on a long trail.
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


@dataclass(frozen=True)
class ChainHead:
    """The last event of the trail: its id, its hash and how many events end there."""

    event_id: int
    count: int
    hash: str


def audit_head(*, counted_after: ChainHead | None = None) -> ChainHead:
    """The trail's current head, read from its last event.

    ``counted_after`` is an earlier head (a signed checkpoint's): only the events
    after it are counted, so a checkpoint every few minutes reads a few rows, not
    the whole trail. Appends commit in id order (they hold the append lock), so
    the count up to the head read here is final.
    """
    last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    if last is None:
        return ChainHead(0, 0, GENESIS_HASH)
    last_id, last_hash = last
    if counted_after is not None and counted_after.event_id <= last_id:
        newer = AuditEvent.objects.filter(id__gt=counted_after.event_id, id__lte=last_id).count()
        return ChainHead(last_id, counted_after.count + newer, last_hash)
    return ChainHead(last_id, AuditEvent.objects.filter(id__lte=last_id).count(), last_hash)


@dataclass(frozen=True)
class Anchor:
    """What a signed checkpoint says the trail held: ``count`` events up to and
    including event ``event_id``, whose hash was ``hash``. ``name`` says which
    checkpoint, in the words a report uses."""

    event_id: int
    count: int
    hash: str
    name: str


def audit_verify_chain(*, anchors: Sequence[Anchor] = ()) -> ChainReport:
    """Walk the whole trail in order and report the first event that does not fit:
    a broken link, or a difference from a signed checkpoint (``anchors``): the
    checkpointed event missing or changed, fewer or more events before it than
    were signed, or a trail that ends before it."""
    pending = sorted((a for a in anchors if a.event_id > 0), key=lambda a: a.event_id)
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    at = 0  # the next anchor in ``pending``
    for event in _events_in_order():
        checked += 1
        if pending[at:] and pending[at].event_id < event.id:
            anchor = pending[at]
            return ChainReport(
                checked - 1,
                ChainBreak(
                    anchor.event_id,
                    f"the {anchor.name} signed this event, and it is no longer in the trail",
                ),
            )
        if event.prev_hash != expected_prev:
            return ChainReport(
                checked,
                ChainBreak(event.id, "its previous-hash does not match the event before it"),
            )
        recomputed = _hash_of(event)
        if recomputed != event.hash:
            return ChainReport(
                checked, ChainBreak(event.id, "its content does not match its stored hash")
            )
        while pending[at:] and pending[at].event_id == event.id:
            anchor = pending[at]
            if anchor.hash != event.hash:
                return ChainReport(
                    checked,
                    ChainBreak(
                        event.id,
                        f"its hash differs from the one the {anchor.name} signed: this event "
                        "or one before it was changed and the hashes after it recomputed",
                    ),
                )
            if anchor.count != checked:
                return ChainReport(
                    checked,
                    ChainBreak(
                        event.id,
                        f"the {anchor.name} signed {anchor.count} events up to here, "
                        f"the trail now holds {checked}",
                    ),
                )
            at += 1
        expected_prev = event.hash
        last_id = event.id
    if pending[at:]:
        anchor = pending[-1]
        if checked == 0:
            reason = (
                f"the trail is empty, but the {anchor.name} signed {anchor.count} events "
                f"up to this one: every event was deleted"
            )
        else:
            reason = (
                f"the trail ends at event #{last_id} ({checked} events), but the "
                f"{anchor.name} signed {anchor.count} events up to this one: "
                "the events after the end were deleted"
            )
        return ChainReport(checked, ChainBreak(anchor.event_id, reason))
    return ChainReport(checked, None)


# --- Reads that are recorded ------------------------------------------------------------
# Taking a copy of the trail or of one's own data writes nothing but the event saying so;
# the views call these before they send the copy.


@transaction.atomic
def audit_export_record(*, by: User, filters: str) -> AuditEvent:
    """An auditor downloads the trail (``filters``: the query they chose)."""
    return audit_record(action=AuditAction.AUDIT_EXPORTED, actor=by, details={"filters": filters})


@transaction.atomic
def data_export_record(*, user: User) -> AuditEvent:
    """A person downloads everything the portal holds about them."""
    return audit_record(action=AuditAction.DATA_EXPORTED, actor=user, target=user)
