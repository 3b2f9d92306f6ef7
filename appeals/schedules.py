"""Periodic work, declared in code and synchronised into django-q2 by
``manage.py sync_schedules`` (run by ``make run`` and on every deployment)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_q.models import Schedule


@dataclass(frozen=True)
class Periodic:
    name: str
    func: str
    minutes: int


SCHEDULES: tuple[Periodic, ...] = (
    # A letter whose task was lost (a worker killed before it started) is queued again.
    Periodic("letters: retry pending", "appeals.tasks.retry_pending_letters", 10),
    # An email whose task was lost (the database went away after the commit) or
    # whose sending failed is queued again; delivery is idempotent.
    Periodic("emails: retry unsent", "appeals.tasks.retry_unsent_emails", 10),
    Periodic("deadlines: remind and escalate", "appeals.tasks.sweep_deadlines", 5),
    Periodic("retention: anonymise expired cases", "appeals.tasks.run_retention", 24 * 60),
    # A signed head of the audit chain, outside the database: an edit, a deleted tail
    # or a wiped trail older than this interval no longer goes unnoticed.
    Periodic("audit: sign a checkpoint", "appeals.tasks.write_audit_checkpoint", 10),
)


@transaction.atomic
def schedules_sync() -> dict[str, int]:
    """Make django-q2's schedule table match SCHEDULES. Idempotent."""
    created = updated = 0
    for periodic in SCHEDULES:
        _, made = Schedule.objects.update_or_create(
            name=periodic.name,
            defaults={
                "func": periodic.func,
                "schedule_type": Schedule.MINUTES,
                "minutes": periodic.minutes,
                "repeats": -1,
            },
        )
        created += made
        updated += not made
    known = {p.name for p in SCHEDULES}
    removed, _ = (
        Schedule.objects.exclude(name__in=known).filter(func__startswith="appeals.").delete()
    )
    return {"created": created, "updated": updated, "removed": removed}
