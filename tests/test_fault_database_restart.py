"""Issue 9, fault a: PostgreSQL restarts in the middle of a burst of appeal submissions.

Every submission that got a receipt exists afterwards, none twice; the others got the
503 page asking to try again with their input kept (portal/outage.py), and trying
again from that page files the appeal once.

The test starts its own durable throwaway cluster (``.ci/pg-throwaway``, not the
pytest database), serves the site with gunicorn on 127.0.0.1, and sends N final
"Send my appeal" POSTs from threads in three waves: the first while the database is
up; once a few receipts have come back, the server is stopped (``immediate``: a
crash; ``fast``: an administrator's restart); the second wave is sent while it is down
and kept down for OUTAGE_SECONDS; the server is started again on the same port and the
last wave is sent. Then every person who got the retry page presses "Try again".
Loopback only; each case takes about 15 seconds.
"""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.conftest import require_tool
from tests.fault_site import MARK
from tests.processes import ROOT, free_local_port, stop_process_groups, wait_for

pytestmark = pytest.mark.postgresql

PG_THROWAWAY = ROOT / ".ci" / "pg-throwaway"
APPELLANTS = 40
WAVES = (14, 13)  # first wave, wave during the outage; the rest after the restart
RECEIPTS_BEFORE_STOP = 4  # the server is stopped once this many came back; the rest are in flight
OUTAGE_SECONDS = 1.5
RECEIPT = re.compile(r"^/cases/(APL-[A-Z0-9-]+)/received/$")
HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')
RETRY_FORM = re.compile(r'<form method="post" action="([^"]*)"')


@dataclass
class Attempt:
    fields: list[tuple[str, str]]
    started: float
    ended: float = 0.0
    status: int = 0  # 0: cut off at the socket, no answer
    location: str = ""
    body: str = ""
    error: str = ""

    @property
    def reference(self) -> str | None:
        match = RECEIPT.match(self.location) if self.status == 302 else None
        return match.group(1) if match else None


@dataclass
class Person:
    email: str
    session: str
    draft: str
    csrf: str = field(default_factory=lambda: secrets.token_hex(16))  # a 32-character secret
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"/contest/{self.draft}/check/"

    def first_fields(self) -> list[tuple[str, str]]:
        return [("csrfmiddlewaretoken", self.csrf), ("good_faith", "on")]


@dataclass
class Timeline:
    stop_requested: float = 0.0
    down: float = 0.0
    start_requested: float = 0.0
    up: float = 0.0
    up_wall: float = 0.0  # time.time(), to compare with the appeals' filing times


class Site:
    """The cluster, migrated and prepared, and gunicorn serving the portal on it."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        # Outside pytest's private temporary folder: as root, the cluster's own user
        # must be able to reach it (pg-throwaway hands it over).
        self.pg_dir = Path(tempfile.mkdtemp(prefix="portal-fault-pg.", dir="/tmp"))
        self.port = free_local_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "PORTAL_ENV": "test",
            "DJANGO_DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "PORTAL_VAR_DIR": str(tmp / "var"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp / "emails"),
            "LOG_LEVEL": "WARNING",
        }
        self.gunicorn: subprocess.Popen[bytes] | None = None
        self.log = tmp / "gunicorn.log"

    def pg(self, *args: str, durable: bool = False) -> str:
        env = {**os.environ, "PG_THROWAWAY_DURABLE": "1"} if durable else None
        done = subprocess.run(
            [str(PG_THROWAWAY), args[0], str(self.pg_dir), *args[1:]],
            capture_output=True,
            text=True,
            timeout=90,
            env=env,
            check=False,
        )
        if done.returncode == 3:
            require_tool(False, "PostgreSQL server binaries are not installed")
        assert done.returncode == 0, f"pg-throwaway {args}: {done.stderr}"
        return done.stdout

    def manage(self, *args: str, extra_env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"manage.py {args[0]}: {done.stdout}\n{done.stderr}"
        return done.stdout

    def shell_json(self, code: str) -> Any:
        # The test client used to fill in the first draft asks for host "testserver".
        out = self.manage("shell", "-c", code, extra_env={"ALLOWED_HOSTS": "testserver"})
        lines = [line for line in out.splitlines() if line.startswith(MARK)]
        assert len(lines) == 1, out
        return json.loads(lines[0][len(MARK) :])

    def start(self) -> None:
        line = self.pg("start", durable=True).strip()
        assert line.startswith("DATABASE_URL=postgresql://postgres@127.0.0.1:"), line
        self.env["DATABASE_URL"] = line.split("=", 1)[1]
        self.manage("migrate", "--noinput")  # the cache table too

    def serve(self) -> None:
        with self.log.open("wb") as log:
            self.gunicorn = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "portal.wsgi:application"),
                    *("--bind", f"127.0.0.1:{self.port}", "--workers", "3"),
                    *("--timeout", "30", "--graceful-timeout", "5"),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def answering() -> bool:
            try:
                return request(self.port, "GET", "/")[0] == 200
            except OSError:
                return False

        assert wait_for(answering, 30, every=0.2), self.log.read_text()

    def close(self) -> None:
        if self.gunicorn is not None:
            stop_process_groups([self.gunicorn])
        if self.pg_dir.exists():
            self.pg("stop")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    require_tool(PG_THROWAWAY.exists(), ".ci/pg-throwaway is missing")
    site = Site(tmp_path)
    try:
        site.start()
        site.serve()
        yield site
    finally:
        site.close()


def request(
    port: int, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """One request on a new connection, no redirect followed: (status, Location, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Location", ""), response.read().decode()
    finally:
        connection.close()


def send(site: Site, person: Person, fields: list[tuple[str, str]], url: str) -> Attempt:
    attempt = Attempt(fields=fields, started=time.monotonic())
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"sessionid={person.session}; csrftoken={person.csrf}",
        "Origin": f"http://127.0.0.1:{site.port}",
    }
    try:
        attempt.status, attempt.location, attempt.body = request(
            site.port, "POST", url, urlencode(fields), headers
        )
    except OSError as exc:  # a reset or a closed socket, no answer at all
        attempt.error = repr(exc)
    attempt.ended = time.monotonic()
    person.attempts.append(attempt)
    return attempt


def retry_form(attempt: Attempt) -> tuple[str, list[tuple[str, str]]]:
    """The 503 page's "Try again" form: where it posts and its hidden fields."""
    action = RETRY_FORM.search(attempt.body)
    assert action, attempt.body
    fields = [(html.unescape(n), html.unescape(v)) for n, v in HIDDEN.findall(attempt.body)]
    return html.unescape(action.group(1)), fields


class Tally:
    """Receipts so far, for the main thread to wait on."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def add(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wait_for(self, count: int, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count >= count, timeout=timeout)


def file_until_received(
    site: Site, person: Person, database_back: threading.Event, receipts: Tally
) -> None:
    """One person: send the check page; on the 503 page, wait for the database to be
    back and press "Try again" (a socket cut off without an answer: send again, as a
    browser user would)."""
    fields, url = person.first_fields(), person.url
    for _turn in range(6):
        attempt = send(site, person, fields, url)
        if attempt.reference:
            receipts.add()
            return
        if attempt.status == 503:
            url, fields = retry_form(attempt)
        elif attempt.status != 0:
            return  # anything else is a failure, reported by the test
        if not database_back.wait(timeout=60):
            return
        time.sleep(0.1 if attempt.status == 0 else 0)


@pytest.mark.parametrize("mode", ["immediate", "fast"])
def test_a_database_restart_during_a_burst_loses_no_receipt_and_files_nothing_twice(
    site: Site, mode: str
) -> None:
    began = time.monotonic()
    people = [
        Person(**p)
        for p in site.shell_json(f"from tests.fault_site import prepare; prepare({APPELLANTS})")
    ]
    assert len(people) == APPELLANTS

    database_back, receipts = threading.Event(), Tally()
    timeline = Timeline()
    first, during = people[: WAVES[0]], people[WAVES[0] : WAVES[0] + WAVES[1]]
    after = people[WAVES[0] + WAVES[1] :]
    futures: list[Future[None]] = []
    with ThreadPoolExecutor(max_workers=APPELLANTS) as pool:

        def release(group: list[Person], spacing: float = 0.0) -> None:
            for person in group:
                futures.append(
                    pool.submit(file_until_received, site, person, database_back, receipts)
                )
                time.sleep(spacing)

        try:
            release(first)
            assert receipts.wait_for(RECEIPTS_BEFORE_STOP, timeout=30), "no receipts"
            timeline.stop_requested = time.monotonic()
            site.pg("server-stop", mode)
            timeline.down = time.monotonic()
            release(during, spacing=0.02)
            time.sleep(max(0.0, timeline.down + OUTAGE_SECONDS - time.monotonic()))
            timeline.start_requested = time.monotonic()
            site.pg("server-start")
            timeline.up, timeline.up_wall = time.monotonic(), time.time()
        finally:
            database_back.set()  # on a failure too, so that no thread waits for long
        release(after)
        for future in futures:
            future.result(timeout=90)
    burst_seconds = time.monotonic() - timeline.stop_requested

    # Every answer was a receipt or the retry page keeping the input; nothing else.
    attempts = [a for p in people for a in p.attempts]
    unexpected = [
        (p.email, a.status, a.location, a.error, a.body[:300])
        for p in people
        for a in p.attempts
        if not a.reference and a.status != 503 and not a.error
    ]
    assert not unexpected, unexpected
    for person in people:
        for before, after_ in zip(person.attempts, person.attempts[1:], strict=False):
            if before.status == 503:
                assert retry_form(before) == (person.url, person.first_fields())
                assert "We could not save this just now" in before.body
                assert "Nothing you entered is lost" in before.body
                assert after_.fields == person.first_fields()
        assert person.attempts[-1].reference, (person.email, person.attempts[-1])

    # The restart overlapped the burst: requests answered while the database was down
    # all got the retry page, and there were some.
    in_outage = [a for a in attempts if a.started >= timeline.down and a.ended <= timeline.up]
    assert in_outage and all(a.status == 503 for a in in_outage), [a.status for a in in_outage]

    # What the database holds: each receipt's appeal, once; one appeal per person and draft.
    held = site.shell_json("from tests.fault_site import report; report()")
    appeals = held["appeals"]
    filed_at = {a["submission_key"]: a["filed_at"] for a in appeals}
    references = Counter(a["reference"] for a in appeals)
    by_reference = {a["reference"]: a for a in appeals}
    for person in people:
        got = {a.reference for a in person.attempts if a.reference}
        assert len(got) == 1, (person.email, got)  # every receipt names the same appeal
        reference = got.pop()
        assert references[reference] == 1
        assert by_reference[reference]["email"] == person.email
        assert by_reference[reference]["submission_key"] == person.draft
        assert held["drafts_sent"][person.draft] == reference
    assert len(appeals) == APPELLANTS
    assert len({a["email"] for a in appeals}) == APPELLANTS
    assert len({a["submission_key"] for a in appeals}) == APPELLANTS
    assert held["takedowns"] == APPELLANTS
    assert held["filed_events"] == {reference: 1 for reference in references}
    assert "Audit trail intact" in site.manage("verify_audit")

    # The receipt page itself, now that the database is up.
    person = people[0]
    status, _, page = request(
        site.port,
        "GET",
        person.attempts[-1].location,
        headers={"Cookie": f"sessionid={person.session}"},
    )
    assert status == 200 and person.attempts[-1].reference in page

    figures = {
        "mode": mode,
        "appellants": APPELLANTS,
        "requests": len(attempts),
        "retry_pages": sum(a.status == 503 for a in attempts),
        "people_who_retried": sum(any(a.status == 503 for a in p.attempts) for p in people),
        "cut_off_without_answer": sum(bool(a.error) for a in attempts),
        "receipts_before_stop": sum(
            bool(a.reference) and a.ended < timeline.stop_requested for a in attempts
        ),
        "receipts_while_stopping": sum(
            bool(a.reference) and timeline.stop_requested <= a.ended < timeline.up for a in attempts
        ),
        "receipts_after_restart": sum(
            bool(a.reference) and a.ended >= timeline.up for a in attempts
        ),
        # Filed by a request that was then answered with the retry page (the commit
        # went through, the answer did not): the retry found the same appeal.
        "committed_but_answered_503": sum(
            p.attempts[0].status == 503
            and datetime.fromisoformat(filed_at[p.draft]).timestamp() < timeline.up_wall
            for p in people
        ),
        "outage_seconds": round(timeline.up - timeline.down, 2),
        "stop_seconds": round(timeline.down - timeline.stop_requested, 2),
        "burst_seconds_from_stop": round(burst_seconds, 2),
        "receipt_emails_without_task": held["receipt_emails_without_task"],
        "letters_without_task": held["letters_without_task"],
        "test_seconds": round(time.monotonic() - began, 1),
    }
    print("fault a:", json.dumps(figures))
