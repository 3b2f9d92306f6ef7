"""``make bench``: the portal at a million open appeals, measured beside two reference pages.

Run against an empty PostgreSQL database (``make bench`` makes a throwaway cluster):

    DATABASE_URL=postgresql://... python -m portal.benchmark.run [--open 1000000] ...

1. migrates, loads the demo data and writes the benchmark rows with COPY (data.py);
2. serves the site with gunicorn (2 sync workers, persistent connections) on 127.0.0.1;
3. drives each page with wrk (2 threads, 16 connections) after a short warm-up, the two
   reference pages of ../shared/PERFORMANCE.md in the same run and through the same
   server, and prints requests per second, p50/p95/p99, the ratio to each reference
   and the workers' peak memory;
4. posts appeal submissions (each a different draft) and checks that every receipt
   is an appeal in the database;
5. times a decision letter's rendering and the deadline sweep with 1,000 cases due.

The figures go to the terminal and to var/bench/results.json and results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess  # nosec B404 (starts gunicorn and wrk, fixed arguments)
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SETTINGS = "portal.benchmark.settings"


@dataclass
class PageResult:
    name: str
    path: str
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    ok: int
    redirects: int
    other: int
    socket_errors: int
    ratio_tiny: float = 0.0
    ratio_list: float = 0.0
    notes: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _prepare_database(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from portal.benchmark.data import generate

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0)
    generated = generate(open_appeals=args.open, decided_appeals=args.decided, reports=args.reports)
    print(f"Generated in {generated.seconds:.1f} s: {generated}")
    # A production database is vacuumed; without this, autovacuum would start on the
    # freshly written tables in the middle of the measurements.
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(f"VACUUM (ANALYZE) in {time.monotonic() - started:.1f} s")
    return asdict(generated)


def _sessions_and_targets(drafts: int, host: str) -> dict[str, Any]:
    """Signed-in sessions (as the sign-in flows leave them) and the pages to measure."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from appeals.models import Appeal, AppealDraft, Platform, User
    from appeals.models.appeal import OPEN_STATUSES

    def session_for(email: str, *, mfa: bool = False) -> Client:
        client = Client(HTTP_HOST=host)
        user = User.objects.get(email=email)
        client.force_login(user)
        if mfa:
            session = client.session
            session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                {"method": "password", "at": time.time(), "email": email},
                {"method": "mfa", "at": time.time(), "type": "totp"},
            ]
            session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
            session.save()
        return client

    def cookie(client: Client) -> str:
        client.get(reverse("home"))  # sets the CSRF cookie
        return "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())

    reviewer = session_for("reviewer@example.org", mfa=True)
    reviewer_user = User.objects.get(email="reviewer@example.org")
    scope = list(reviewer_user.reviewer_profile.jurisdictions.values_list("pk", flat=True))  # type: ignore[attr-defined]
    case = (
        Appeal.objects.filter(status__in=OPEN_STATUSES, jurisdiction__in=scope)
        .exclude(appellant__email="appellant@example.org")
        .order_by("due_at", "priority_rank", "id")
        .values_list("reference", flat=True)[1000]
    )
    appellant = session_for("appellant@example.org")
    own_case = (
        Appeal.objects.filter(appellant__email="appellant@example.org")
        .order_by("-filed_at")
        .values_list("reference", flat=True)[3]
    )
    platform = Platform.objects.order_by("slug").first()
    if platform is None:
        raise RuntimeError("The demo data has no platform.")
    # One real draft, filled in through the filing pages, is the pattern for the
    # others; each copy names a different platform reference.
    filer_email = "filer@bench.example.org"
    if not User.objects.filter(email=filer_email).exists():
        User.objects.create_user(filer_email)
    filer = session_for(filer_email)
    filer_cookie = cookie(filer)
    draft_id = _fill_one_draft(filer)
    pattern = AppealDraft.objects.get(pk=draft_id)
    answers = json.dumps(pattern.answers)
    if "BENCH-PATTERN" not in answers:
        raise RuntimeError("The draft's answers changed shape; update _fill_one_draft.")
    copies = AppealDraft.objects.bulk_create(
        [
            AppealDraft(
                owner_id=pattern.owner_id,
                answers=json.loads(answers.replace("BENCH-PATTERN", f"BENCH-{n}")),
            )
            for n in range(drafts)
        ],
        batch_size=5000,
    )
    token = re.search(r"csrftoken=([^;]+)", filer_cookie)
    if token is None:
        raise RuntimeError("The site set no CSRF cookie.")
    drafts_file = Path(settings.VAR_DIR) / "bench" / "drafts.txt"
    drafts_file.parent.mkdir(parents=True, exist_ok=True)
    drafts_file.write_text(
        "\n".join(
            [filer_cookie, token.group(1)] + [reverse("filing_check", args=[d.pk]) for d in copies]
        )
        + "\n"
    )
    reviewer_cookie, appellant_cookie = cookie(reviewer), cookie(appellant)
    return {
        "pages": [
            ("reference: tiny template", reverse("bench_reference_tiny"), ""),
            ("reference: 25-row list", reverse("bench_reference_list"), ""),
            ("reviewer queue, first page", reverse("review_queue"), reviewer_cookie),
            (
                "reviewer queue, filtered",
                f"{reverse('review_queue')}?platform={platform.pk}&priority=priority",
                reviewer_cookie,
            ),
            ("reviewer case page", reverse("review_case", args=[case]), reviewer_cookie),
            ("appellant case list", reverse("my_cases"), appellant_cookie),
            ("appellant case page", reverse("appeal_detail", args=[own_case]), appellant_cookie),
            ("public statistics", reverse("statistics"), ""),
        ],
        "drafts_file": str(drafts_file),
        "draft_ids": [str(d.pk) for d in copies],
    }


def _fill_one_draft(client: Any) -> str:
    """File the answers of one appeal through the real pages, stopping before submit."""
    from django.urls import reverse
    from django.utils import timezone

    response = client.post(reverse("filing_start"))
    draft_id = response.url.split("/")[2]
    steps = [
        (
            "filing_takedown",
            {"platform": "chirp", "platform_reference": "BENCH-PATTERN", "jurisdiction": "DE"},
        ),
        (
            "filing_details",
            {
                "measures": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
                "content_url": "https://chirp.example/p/5",
                "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
                "rule_cited": "Rule 3",
                "informed_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
            },
        ),
        (
            "filing_grounds",
            {"grounds": "It was satire.", "remedies": ["reinstate_content"], "language": "en"},
        ),
        ("filing_evidence", {"action": "continue"}),
    ]
    for name, data in steps:
        response = client.post(reverse(name, args=[draft_id]), data)
        if response.status_code != 302:
            raise RuntimeError(f"{name} did not accept the benchmark answers")
    return draft_id


class Server:
    """gunicorn serving the portal, in its own process group."""

    def __init__(self, port: int, workers: int) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DJANGO_DEBUG": "0"}
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # nosec B603 (fixed arguments)
            [
                str(gunicorn),
                "portal.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--worker-class=sync",
                "--backlog=2048",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/bench/reference/tiny/", timeout=5):  # nosec B310 (loopback)
                    break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)

    def worker_pids(self) -> list[int]:
        out = subprocess.run(  # nosec B603 B607 (fixed arguments)
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def _peak_memory_mib(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _wrk(
    url: str,
    *,
    cookie: str,
    seconds: int,
    connections: int,
    threads: int,
    script: Path,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    run = subprocess.run(  # nosec B603 B607 (fixed arguments, loopback URL)
        [*command, url],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    line = next(x for x in run.stdout.splitlines() if x.startswith("WRK_JSON "))
    return dict(json.loads(line[len("WRK_JSON ") :]))


def _measure_pages(
    server: Server, targets: dict[str, Any], args: argparse.Namespace
) -> list[PageResult]:
    results = []
    report = HERE / "wrk" / "report.lua"
    for name, path, cookie in targets["pages"]:
        url = server.base + path
        _wrk(url, cookie=cookie, seconds=2, connections=args.connections, threads=2, script=report)
        figures = _wrk(
            url,
            cookie=cookie,
            seconds=args.seconds,
            connections=args.connections,
            threads=2,
            script=report,
        )
        result = PageResult(
            name=name,
            path=path,
            rps=figures["requests"] / figures["seconds"],
            **{
                k: figures[k]
                for k in (
                    "p50_ms",
                    "p95_ms",
                    "p99_ms",
                    "requests",
                    "ok",
                    "redirects",
                    "other",
                    "socket_errors",
                )
            },
        )
        if result.redirects or result.other or result.socket_errors:
            result.notes.append("not every answer was 200: the figures do not measure the page")
        results.append(result)
        print(
            f"  {name:32} {result.rps:8.1f} req/s  p50 {result.p50_ms:6.1f}  "
            f"p95 {result.p95_ms:6.1f}  p99 {result.p99_ms:6.1f} ms  "
            f"({result.ok} x 200, {result.redirects + result.other} other)"
        )
    tiny, listing = results[0].rps, results[1].rps
    for result in results:
        result.ratio_tiny = result.rps / tiny
        result.ratio_list = result.rps / listing
    return results


def _measure_submission(
    server: Server, targets: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    from appeals.models import Appeal, AppealDraft

    before = Appeal.objects.count()
    figures = _wrk(
        server.base + "/",
        cookie="",
        seconds=args.seconds,
        connections=args.connections,
        threads=2,
        script=HERE / "wrk" / "submit.lua",
        env={
            "BENCH_DRAFTS": targets["drafts_file"],
            "BENCH_REPORT_LUA": str(HERE / "wrk" / "report.lua"),
            "BENCH_THREADS": "2",
        },
    )
    time.sleep(1)  # answers still in flight when wrk stopped its clock
    created = Appeal.objects.count() - before
    submitted_drafts = AppealDraft.objects.filter(
        pk__in=targets["draft_ids"], appeal__isnull=False
    ).count()
    receipts = figures["redirects"]
    result = {
        "rps": figures["requests"] / figures["seconds"],
        "receipts": receipts,
        "appeals_created": created,
        "drafts_submitted": submitted_drafts,
        "errors": figures["other"] + figures["socket_errors"],
        "p50_ms": figures["p50_ms"],
        "p95_ms": figures["p95_ms"],
        "p99_ms": figures["p99_ms"],
        "drafts_available": len(targets["draft_ids"]),
        # Every receipt is an appeal; a request wrk cut off at its deadline may
        # still have been filed, so there can be more appeals than receipts.
        "none_lost": created >= receipts and created == submitted_drafts,
    }
    print(
        f"  {'appeal submission':32} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.1f}  "
        f"p95 {result['p95_ms']:6.1f}  p99 {result['p99_ms']:6.1f} ms  "
        f"({receipts} receipts, {created} appeals created, {result['errors']} errors)"
    )
    return result


def _time_letters(samples: int = 10) -> dict[str, float]:
    """A decision letter, as the worker makes it (render, sign, store, audit), then
    the rendering alone (HTML and PDF) for the same letters."""
    from django.db import transaction

    from appeals.models import Decision, Letter
    from appeals.pdf import render_pdf
    from appeals.services.letters import letter_html, letter_render, letter_request

    run = int(time.time())
    decisions = list(Decision.objects.select_related("appeal").order_by("-id")[:samples])
    with transaction.atomic():
        letters = [
            letter_request(
                appeal=d.appeal,
                kind=Letter.Kind.DECISION,
                subject_key=f"bench-{run}-{d.pk}",
                decision=d,
            )
            for d in decisions
        ]
    whole, rendering = [], []
    for letter in letters:
        started = time.perf_counter()
        if not letter_render(letter_id=str(letter.pk)):
            raise RuntimeError(f"letter {letter.pk} was issued already")
        whole.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        render_pdf(letter_html(letter))
        rendering.append((time.perf_counter() - started) * 1000)
    return {
        "first_ms": whole[0],
        "median_ms": statistics.median(whole[1:]),
        "render_only_median_ms": statistics.median(rendering[1:]),
        "samples": len(whole),
    }


def _time_sweep(due: int = 1000) -> dict[str, Any]:
    """The deadline sweep with ``due`` reminders due among all the open cases, each
    assigned to a reviewer (so each gets an email): first a sweep catches up with
    what fell due while the benchmark ran, as the five-minute schedule would have."""
    from django.utils import timezone

    from appeals.models import Appeal, User
    from appeals.models.appeal import OPEN_STATUSES, RUNNING_STATUSES
    from appeals.services.deadlines import deadline_emails_send, deadlines_sweep

    deadlines_sweep()
    now = timezone.now()
    ids = list(
        Appeal.objects.filter(
            status__in=RUNNING_STATUSES, reminded_at__isnull=True, remind_at__gt=now
        )
        .order_by("remind_at")
        .values_list("pk", flat=True)[:due]
    )
    reviewer = User.objects.get(email="reviewer@example.org")
    Appeal.objects.filter(pk__in=ids).update(
        remind_at=now - timedelta(minutes=1), assigned_to=reviewer, assigned_at=now
    )
    open_cases = Appeal.objects.filter(status__in=OPEN_STATUSES).count()
    started = time.perf_counter()
    result = deadlines_sweep(now=now)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    emails = deadline_emails_send(template="deadline_reminder", appeal_ids=ids)
    email_seconds = time.perf_counter() - started
    started = time.perf_counter()
    idle = deadlines_sweep(now=now)
    idle_seconds = time.perf_counter() - started
    return {
        "open_cases": open_cases,
        "due": len(ids),
        "reminded": result.reminded,
        "breached": result.breached,
        "sweep_ms": seconds * 1000,
        "emails_written": emails,
        "email_task_ms": email_seconds * 1000,
        "idle_sweep_ms": idle_seconds * 1000,
        "idle_reminded": idle.reminded,
    }


def _markdown(results: list[PageResult], submission: dict[str, Any], extra: dict[str, Any]) -> str:
    lines = [
        "| page | req/s | p50 ms | p95 ms | p99 ms | share of tiny page "
        "| share of reference list |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p95_ms:.1f} | {r.p99_ms:.1f} | "
            f"{r.ratio_tiny:.0%} | {r.ratio_list:.0%} |"
        )
    listing = results[1].rps
    lines.append(
        f"| appeal submission (POST, new appeal each) | {submission['rps']:,.0f} | "
        f"{submission['p50_ms']:.1f} | {submission['p95_ms']:.1f} | {submission['p99_ms']:.1f} | "
        f"{submission['rps'] / results[0].rps:.0%} | {submission['rps'] / listing:.0%} |"
    )
    lines.append("")
    lines.append(
        f"Submission: {submission['receipts']:,} receipts, {submission['appeals_created']:,} "
        f"appeals created, {submission['errors']} errors; none lost: {submission['none_lost']}."
    )
    lines.append(f"Workers' peak memory (VmHWM): {extra['worker_peak_mib']} MiB.")
    letters, sweep = extra["letters"], extra["sweep"]
    lines.append(
        f"Decision letter (render, sign, store, in-process, warm): median "
        f"{letters['median_ms']:.0f} ms of {letters['samples'] - 1} (rendering alone "
        f"{letters['render_only_median_ms']:.0f} ms); first {letters['first_ms']:.0f} ms."
    )
    lines.append(
        f"Deadline sweep: {sweep['due']:,} due among {sweep['open_cases']:,} open cases: "
        f"{sweep['sweep_ms']:.0f} ms ({sweep['reminded']:,} reminded, {sweep['breached']} "
        f"escalated); the task writing their {sweep['emails_written']:,} emails after "
        f"commit: {sweep['email_task_ms']:.0f} ms; a sweep with nothing due: "
        f"{sweep['idle_sweep_ms']:.1f} ms."
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=1_000_000, help="open appeals")
    parser.add_argument("--decided", type=int, default=200_000, help="decided appeals")
    parser.add_argument("--reports", type=int, default=100_000, help="harm reports")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--drafts", type=int, default=20_000, help="drafts ready to submit")
    args = parser.parse_args(argv)

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("make bench needs PostgreSQL: DATABASE_URL=postgresql://...", file=sys.stderr)
        return 2
    if shutil.which("wrk") is None:
        print("make bench needs wrk: apt-get install wrk", file=sys.stderr)
        return 2

    _setup_django()
    from django.db import connection

    print("== Writing the benchmark data ==")
    generated = _prepare_database(args)
    port = _free_port()
    targets = _sessions_and_targets(args.drafts, f"127.0.0.1:{port}")
    connection.close()  # the server's workers get the machine to themselves

    print(f"== Serving with gunicorn ({args.workers} sync workers) on 127.0.0.1:{port} ==")
    server = Server(port, args.workers)
    try:
        print(
            f"== wrk -t2 -c{args.connections} -d{args.seconds}s per page, after 2 s of warm-up =="
        )
        results = _measure_pages(server, targets, args)
        submission = _measure_submission(server, targets, args)
        peaks = [round(_peak_memory_mib(pid)) for pid in server.worker_pids()]
    finally:
        server.stop()

    print("== In-process timings ==")
    extra = {"worker_peak_mib": peaks, "letters": _time_letters(), "sweep": _time_sweep()}
    print(f"  letters: {extra['letters']}")
    print(f"  sweep: {extra['sweep']}")

    from django.conf import settings

    out = Path(settings.VAR_DIR) / "bench"
    out.mkdir(parents=True, exist_ok=True)
    table = _markdown(results, submission, extra)
    (out / "results.md").write_text(table)
    (out / "results.json").write_text(
        json.dumps(
            {
                "generated": generated,
                "pages": [asdict(r) for r in results],
                "submission": submission,
                **extra,
            },
            indent=2,
            default=str,
        )
    )
    print()
    print(table)
    print(f"Written to {out}/results.md and results.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
