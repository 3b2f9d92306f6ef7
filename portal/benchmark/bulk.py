"""COPY into the portal's tables, audit events with a valid hash chain, and
well-formed references: the tools the benchmark data is written with."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection, models

from appeals.models import (
    AuditAction,
    AuditEvent,
    Platform,
    User,
)
from appeals.models.appeal import REFERENCE_ALPHABET
from appeals.models.audit import GENESIS_HASH
from appeals.services.audit import event_hash

# The columns of a statistics fact row, in the order the generators write them.
FACT_COLUMNS = [
    "kind",
    "day",
    "jurisdiction",
    "platform",
    "category",
    "outcome",
    "hours",
    "on_time",
    "trusted_flagger",
    "automated",
]


def copy_rows(
    model: type[models.Model], columns: list[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    """COPY rows into the model's table; ``columns`` are field names (``_id`` for keys)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def next_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # nosec B608 (model's table)
        row = cursor.fetchone()
        return int(row[0]) if row else 1


def reset_sequence(model: type[models.Model]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # nosec B608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


class AuditChain:
    """Appends audit events with a valid hash chain, continuing the existing one."""

    columns = [
        "id",
        "occurred_at",
        "actor_id",
        "actor_repr",
        "action",
        "user_id",
        "jurisdiction_id",
        "platform_id",
        "takedown_id",
        "appeal_id",
        "harm_report_id",
        "organisation_id",
        "object_repr",
        "details",
        "prev_hash",
        "hash",
    ]

    def __init__(self) -> None:
        last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        self.next_id = (last[0] + 1) if last else 1
        self.prev = last[1] if last else GENESIS_HASH

    def event(
        self,
        *,
        at: datetime,
        action: AuditAction,
        actor: User | None,
        appeal_id: int | None = None,
        report_id: uuid.UUID | None = None,
        object_repr: str,
        details: dict[str, Any],
    ) -> tuple[Any, ...]:
        targets: dict[str, int | str] = {}
        if appeal_id is not None:
            targets["appeal"] = appeal_id
        if report_id is not None:
            targets["harm_report"] = str(report_id)
        actor_repr = str(actor) if actor else "system"
        digest = event_hash(
            prev_hash=self.prev,
            occurred_at=at,
            actor_id=actor.pk if actor else None,
            actor_repr=actor_repr,
            action=action.value,
            target_ids=targets,
            object_repr=object_repr,
            details=details,
        )
        row = (
            self.next_id,
            at,
            actor.pk if actor else None,
            actor_repr,
            action.value,
            None,
            None,
            None,
            None,
            appeal_id,
            report_id,
            None,
            object_repr,
            json.dumps(details, sort_keys=True, separators=(",", ":")),
            self.prev,
            digest,
        )
        self.prev = digest
        self.next_id += 1
        return row


def reference(prefix: str, number: int) -> str:
    """A unique, well-formed case reference for row ``number`` (8 characters of the
    reference alphabet, scrambled by a multiplicative permutation so neighbours
    do not look alike)."""
    base = len(REFERENCE_ALPHABET)
    space = base**8
    n = (number * 2_654_435_761 + 12_345) % space  # odd multiplier: a bijection
    chars = []
    for _ in range(8):
        n, digit = divmod(n, base)
        chars.append(REFERENCE_ALPHABET[digit])
    text = "".join(chars)
    return f"{prefix}-{text[:4]}-{text[4:]}"


def site_url(platform: Platform) -> str:
    return (platform.website or f"https://{platform.slug}.example").rstrip("/")
