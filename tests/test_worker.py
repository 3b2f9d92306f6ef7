"""Real django-q2 worker processes: one picks up a task from the database; one killed
while rendering a letter leaves it to be issued exactly once after a restart (issue 9,
fault b); two running the same schedules send each deadline notification exactly once
(fault c)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django_q.models import OrmQ, Schedule, Success
from django_q.tasks import async_task

from appeals.models import Appeal, AuditAction, AuditEvent, Escalation, Letter, OutboundEmail, User
from appeals.roles import Role
from appeals.schedules import schedules_sync
from appeals.services.decisions import appeal_decide
from tests.factories import claimed_appeal, decision_input
from tests.processes import ROOT, database_url_for_subprocess, stop_process_groups, wait_for


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_delivers_a_queued_email(tmp_path: Path) -> None:
    outbound = OutboundEmail.objects.create(
        template="worker-test",
        to=["w@example.org"],
        subject="Worker test",
        body_text="Delivered by a worker",
    )
    with _through_the_broker():
        async_task("appeals.tasks.deliver_email", str(outbound.pk))

    def sent() -> bool:
        outbound.refresh_from_db()
        return outbound.status == OutboundEmail.Status.SENT

    with _workers(1, {**_worker_env(tmp_path), "Q_WORKERS": "1"}):
        wait_for(sent, 60)
    assert outbound.status == OutboundEmail.Status.SENT
    written = "".join(p.read_text() for p in tmp_path.iterdir())
    assert "Delivered by a worker" in written


@contextmanager
def _through_the_broker() -> Iterator[None]:
    """Enqueue through the ORM broker, as in production (the rest of the suite runs
    tasks in-process)."""
    from django_q.conf import Conf

    Conf.SYNC = False
    try:
        yield
    finally:
        Conf.SYNC = True


def _worker_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_ENV": "test",
        "DATABASE_URL": database_url_for_subprocess(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
        # The workers run every schedule, the audit checkpoint too: not into var/.
        "AUDIT_CHECKPOINT_FILE": str(tmp_path / "audit-checkpoints.jsonl"),
        "Q_WORKERS": "2",
        "SECRET_KEY": settings.SECRET_KEY,
    }


@contextmanager
def _workers(count: int, env: dict[str, str]) -> Iterator[list[subprocess.Popen[bytes]]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(count)
    ]
    try:
        yield procs
    finally:
        stop_process_groups(procs)


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_same_schedules_notify_each_deadline_once(
    tmp_path: Path, make_user: Callable[..., User]
) -> None:
    appellant = make_user("late@example.org")
    reviewer = make_user("reviewer-x@example.org", roles=(Role.REVIEWER,), mfa=True)
    make_user("supervisor@example.org", roles=(Role.SUPERVISOR,), mfa=True)
    long_ago = timezone.now() - timedelta(days=90)
    appeals = [claimed_appeal(appellant, reviewer, now=long_ago) for _ in range(5)]
    assert all(a.due_at < timezone.now() and a.remind_at < timezone.now() for a in appeals)
    OutboundEmail.objects.all().delete()  # receipts from filing; only deadline mail counts

    # Both clusters find the sweep schedule due, and six more sweeps are queued so
    # that the two processes' workers sweep at the same time.
    schedules_sync()
    Schedule.objects.update(next_run=timezone.now() + timedelta(days=1))
    Schedule.objects.filter(func="appeals.tasks.sweep_deadlines").update(
        next_run=timezone.now() - timedelta(seconds=1)
    )
    with _through_the_broker():
        for _ in range(6):
            async_task("appeals.tasks.sweep_deadlines")

    def sweeps() -> int:
        return Success.objects.filter(func="appeals.tasks.sweep_deadlines").count()

    def settled() -> bool:
        return (
            sweeps() >= 7
            and not OrmQ.objects.exists()
            and not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists()
        )

    with _workers(2, _worker_env(tmp_path)) as procs:
        done = wait_for(settled, 150)  # the scheduler first looks after ~30 s
        alive = [proc.poll() is None for proc in procs]
    assert done, f"sweeps run: {sweeps()}, queued: {OrmQ.objects.count()}"
    assert alive == [True, True]  # two clusters ran side by side to the end

    assert Appeal.objects.filter(reminded_at__isnull=True).count() == 0
    assert Appeal.objects.filter(breached_at__isnull=True).count() == 0
    assert Escalation.objects.filter(kind="appeal_overdue").count() == 5
    reminders = OutboundEmail.objects.filter(template="deadline_reminder")
    breaches = OutboundEmail.objects.filter(template="deadline_breached")
    assert reminders.count() == 5
    assert breaches.count() == 5
    written = [p.read_text() for p in tmp_path.iterdir()]
    for appeal in appeals:
        mentions = [text for text in written if appeal.reference in text]
        assert len(mentions) == 2, (appeal.reference, len(mentions))  # a reminder, a breach


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_rendering_a_letter_issues_it_once_after_restart(
    tmp_path: Path, appellant: User, reviewer: User
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    with _through_the_broker():  # the decision queues its letter as in production
        appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    letter = Letter.objects.get(appeal=appeal, kind=Letter.Kind.DECISION)
    assert letter.status == Letter.Status.PENDING

    # A lost task is delivered again after Q_RETRY seconds (production: 180).
    env = {**_worker_env(tmp_path), "Q_WORKERS": "1", "Q_TIMEOUT": "10", "Q_RETRY": "12"}

    def rendering_started() -> bool:
        return Letter.objects.filter(pk=letter.pk, attempts__gte=1).exists()

    with _workers(1, env) as procs:
        # Poll fast: a warm render and signature take about 0.3 s.
        started = wait_for(rendering_started, 60, every=0.01)
        os.killpg(procs[0].pid, signal.SIGKILL)  # the whole cluster, mid-render
    assert started
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PENDING, "the render finished before the kill"

    def issued_and_quiet() -> bool:
        return (
            Letter.objects.filter(pk=letter.pk, status=Letter.Status.ISSUED).exists()
            and not OrmQ.objects.exists()
        )

    with _workers(2, env):
        done = wait_for(issued_and_quiet, 120)
    assert done, f"letter {Letter.objects.get(pk=letter.pk).status}, queued {OrmQ.objects.count()}"
    letter.refresh_from_db()
    issued = AuditEvent.objects.filter(
        action=AuditAction.LETTER_ISSUED, details__letter=str(letter.pk)
    )
    assert issued.count() == 1
    assert Letter.objects.filter(appeal=appeal, kind=Letter.Kind.DECISION).count() == 1
    with letter.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == letter.sha256
