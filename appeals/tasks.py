"""django-q2 tasks. Each loads by id and calls a service; no logic lives here.

Services queue them with ``enqueue``, which hands the task to the queue only once the
caller's transaction has committed: a worker never looks for a row that is not there
yet, and a rolled-back action queues nothing. (Services are imported inside each task,
so that services can import ``enqueue`` from here.)
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_q.tasks import async_task


def enqueue(task: str, *args: Any, task_name: str | None = None) -> None:
    """Queue ``task`` (a dotted name in this module) with ``args`` after commit; at once
    when no transaction is open."""
    options = {} if task_name is None else {"task_name": task_name}
    transaction.on_commit(lambda: async_task(task, *args, **options))


def deliver_email(outbound_id: str) -> bool:
    from appeals.services.emails import email_deliver

    return email_deliver(outbound_id=outbound_id)


def retry_unsent_emails() -> int:
    from appeals.services.emails import email_retry_due

    return email_retry_due()


def render_letter(letter_id: str) -> bool:
    from appeals.services.letters import letter_render

    return letter_render(letter_id=letter_id)


def retry_pending_letters() -> int:
    from appeals.services.letters import letter_retry_due

    return letter_retry_due()


def sweep_deadlines() -> dict[str, int]:
    from appeals.services.deadlines import deadlines_sweep

    result = deadlines_sweep()
    return {
        "reminded": result.reminded,
        "breached": result.breached,
        "retractions_escalated": result.retractions_escalated,
        "referrals_escalated": result.referrals_escalated,
    }


def send_deadline_emails(template: str, appeal_ids: list[int]) -> int:
    from appeals.services.deadlines import deadline_emails_send

    return deadline_emails_send(template=template, appeal_ids=appeal_ids)


def import_task(run_id: int) -> dict[str, Any]:
    from appeals.services.imports import import_run

    return import_run(run_id=run_id)


def build_transparency_report(report_id: int) -> None:
    from appeals.services.transparency import transparency_report_build

    transparency_report_build(report_id=report_id)


def run_audit_check(check_id: int) -> None:
    from appeals.services.transparency import audit_check_run

    audit_check_run(check_id=check_id)


def write_audit_checkpoint() -> dict[str, int | str]:
    from appeals.services.audit_checkpoints import checkpoint_write

    checkpoint = checkpoint_write(by="schedule")
    return {"event": checkpoint.event_id, "count": checkpoint.count, "head": checkpoint.head}


def run_retention() -> dict[str, int]:
    from datetime import timedelta

    from appeals.services.ratelimit import rate_counters_purge
    from appeals.services.retention import retention_run

    result = retention_run(dry_run=False)
    # Attempt counters (hashed addresses and case numbers) are kept a day at most.
    purged = rate_counters_purge(older_than=timedelta(days=1))
    return {"appeals": len(result.appeals), "reports": len(result.reports), "counters": purged}
