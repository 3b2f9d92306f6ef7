"""``make bench``: the portal at a million open appeals, measured beside two reference pages.

Run against an empty PostgreSQL database (``make bench`` makes a throwaway cluster):

    DATABASE_URL=postgresql://... python -m portal.benchmark.run [--open 1000000] ...

1. migrates, loads the demo data and writes the benchmark rows with COPY (data.py);
2. serves the site with gunicorn (2 sync workers, persistent connections) on 127.0.0.1;
3. drives each page with wrk (2 threads, 16 connections) after a short warm-up, the two
   reference pages (views.py) in the same run and through the same
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
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from portal.benchmark.server import ROOT, SETTINGS, Server, free_port, peak_memory_mib, run_wrk
from portal.benchmark.targets import sessions_and_targets
from portal.benchmark.timings import time_letters, time_sweep

HERE = Path(__file__).resolve().parent


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


def _measure_pages(
    server: Server, targets: dict[str, Any], args: argparse.Namespace
) -> list[PageResult]:
    results = []
    report = HERE / "wrk" / "report.lua"
    for name, path, cookie in targets["pages"]:
        url = server.base + path
        run_wrk(
            url, cookie=cookie, seconds=2, connections=args.connections, threads=2, script=report
        )
        figures = run_wrk(
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
    figures = run_wrk(
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
    port = free_port()
    targets = sessions_and_targets(args.drafts, f"127.0.0.1:{port}")
    connection.close()  # the server's workers get the machine to themselves

    print(f"== Serving with gunicorn ({args.workers} sync workers) on 127.0.0.1:{port} ==")
    server = Server(port, args.workers)
    try:
        print(
            f"== wrk -t2 -c{args.connections} -d{args.seconds}s per page, after 2 s of warm-up =="
        )
        results = _measure_pages(server, targets, args)
        submission = _measure_submission(server, targets, args)
        peaks = [round(peak_memory_mib(pid)) for pid in server.worker_pids()]
    finally:
        server.stop()

    print("== In-process timings ==")
    extra = {"worker_peak_mib": peaks, "letters": time_letters(), "sweep": time_sweep()}
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
