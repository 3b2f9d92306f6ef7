"""A real django-q2 worker process picks up a task from the database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_q.tasks import async_task

from appeals.models import OutboundEmail

ROOT = Path(__file__).resolve().parent.parent


def _database_url_for_subprocess() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_delivers_a_queued_email(tmp_path: Path) -> None:
    outbound = OutboundEmail.objects.create(
        template="worker-test",
        to=["w@example.org"],
        subject="Worker test",
        body_text="Delivered by a worker",
    )
    # Enqueue through the ORM broker (the rest of the suite runs tasks in-process).
    from django_q.conf import Conf

    Conf.SYNC = False
    try:
        async_task("appeals.tasks.deliver_email", str(outbound.pk))
    finally:
        Conf.SYNC = True

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_ENV": "test",
        "DATABASE_URL": _database_url_for_subprocess(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
        "Q_WORKERS": "1",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            outbound.refresh_from_db()
            if outbound.status == OutboundEmail.Status.SENT:
                break
            if worker.poll() is not None:
                break
            time.sleep(0.25)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            output = worker.communicate(timeout=10)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            output = worker.communicate()[0].decode(errors="replace")
    assert outbound.status == OutboundEmail.Status.SENT, output
    written = "".join(p.read_text() for p in tmp_path.iterdir())
    assert "Delivered by a worker" in written
