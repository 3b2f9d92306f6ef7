"""Importing statements of reasons into Takedown records, in batches that commit as
they go, so an interrupted import resumes after its last committed batch."""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from appeals.importers import RowError, Statement, read_statements
from appeals.models import ImportRun, Platform, Takedown

BATCH = 1000
MAX_PROBLEMS = 500


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _Platforms:
    """Platform rows by name, created the first time a name appears."""

    def __init__(self) -> None:
        self.by_name: dict[str, Platform] = {}

    def get(self, name: str, puid_hint: str = "") -> Platform:
        if name not in self.by_name:
            platform = Platform.objects.filter(name=name).first()
            if platform is None:
                base = slugify(name)[:50] or "platform"
                slug, n = base, 1
                while Platform.objects.filter(slug=slug).exists():
                    n += 1
                    slug = f"{base}-{n}"
                platform = Platform.objects.create(name=name, slug=slug)
            self.by_name[name] = platform
        return self.by_name[name]


def _takedown(statement: Statement, platform: Platform) -> Takedown:
    return Takedown(
        platform=platform,
        # The statement's uuid is its identity in the database; API bodies have only
        # the platform's own id.
        platform_reference=statement.uuid or statement.puid,
        platform_item_id=statement.puid,
        content_url=statement.content_url if statement.content_url.startswith("http") else "",
        content_types=statement.content_types,
        measures=statement.measures,
        decision_ground=statement.decision_ground,
        legal_provision=statement.legal_provision,
        terms_clause=statement.terms_clause,
        ground_explanation=statement.ground_explanation,
        category=statement.category,
        territorial_scope=statement.territorial_scope,
        decided_on=statement.decided_on,
        restriction_ends_on=statement.restriction_ends_on,
        automated_detection=statement.automated_detection,
        automated_decision=statement.automated_decision,
        statement_text=statement.statement_text,
        source=Takedown.Source.IMPORTED,
    )


def _commit(run: ImportRun, batch: list[tuple[Statement, Platform]], read: int) -> None:
    """One transaction: the batch's takedowns and the run's new position."""
    with transaction.atomic():
        keys = {(p.pk, s.uuid or s.puid) for s, p in batch}
        existing = set(
            Takedown.objects.filter(
                platform_id__in={k[0] for k in keys},
                platform_reference__in={k[1] for k in keys},
            ).values_list("platform_id", "platform_reference")
        )
        fresh: dict[tuple[int, str], Takedown] = {}
        for statement, platform in batch:
            key = (platform.pk, statement.uuid or statement.puid)
            if key in existing or key in fresh:
                run.duplicates += 1
                continue
            fresh[key] = _takedown(statement, platform)
        Takedown.objects.bulk_create(fresh.values(), batch_size=BATCH, ignore_conflicts=True)
        run.created += len(fresh)
        run.rows_committed = read
        run.save(
            update_fields=[
                "rows_committed",
                "created",
                "duplicates",
                "errors",
                "warnings",
                "problems",
            ]
        )


def _note(run: ImportRun, line: int, kind: str, message: str) -> None:
    if len(run.problems) < MAX_PROBLEMS:
        run.problems.append({"line": line, "kind": kind, "message": message})


def import_statements(
    path: Path,
    *,
    run: ImportRun | None = None,
    progress: Callable[[ImportRun, float], None] | None = None,
) -> ImportRun:
    """Import one file. Re-importing it creates nothing new; resuming skips the rows
    already committed."""
    if run is None:
        sha = file_sha256(path)
        run = (
            ImportRun.objects.filter(source_sha256=sha)
            .exclude(status=ImportRun.Status.DONE)
            .first()
        )
        run = run or ImportRun.objects.create(source_name=path.name, source_sha256=sha)
    run.status, run.started_at = ImportRun.Status.RUNNING, run.started_at or timezone.now()
    run.save(update_fields=["status", "started_at"])
    platforms = _Platforms()
    batch: list[tuple[Statement, Platform]] = []
    skip, read, started = run.rows_committed, 0, time.monotonic()
    try:
        for item in read_statements(path):
            read += 1
            if read <= skip:
                continue
            if isinstance(item, RowError):
                run.errors += 1
                _note(run, item.line, "error", item.message)
            else:
                for warning in item.warnings:
                    run.warnings += 1
                    _note(run, item.line, "warning", warning)
                batch.append((item, platforms.get(item.platform_name)))
            if len(batch) >= BATCH or (read - skip) % BATCH == 0:
                _commit(run, batch, read)
                batch = []
                if progress:
                    progress(run, time.monotonic() - started)
        _commit(run, batch, read)
    except Exception:
        ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED)
        raise
    run.rows_read = read
    run.status, run.finished_at = ImportRun.Status.DONE, timezone.now()
    run.save(update_fields=["rows_read", "status", "finished_at"])
    if progress:
        progress(run, time.monotonic() - started)
    return run


def print_progress(total: int | None) -> Callable[[ImportRun, float], None]:
    """A one-line progress bar on stderr: rows, rate and time left."""

    def show(run: ImportRun, elapsed: float) -> None:
        rate = run.rows_committed / elapsed if elapsed > 0 else 0.0
        if total:
            share = min(run.rows_committed / total, 1.0)
            bar = "#" * int(30 * share)
            left = (total - run.rows_committed) / rate if rate else 0
            line = (
                f"[{bar:<30}] {run.rows_committed:,}/{total:,} rows, "
                f"{rate:,.0f}/s, {left:,.0f}s left"
            )
        else:
            line = f"{run.rows_committed:,} rows, {rate:,.0f}/s"
        sys.stderr.write("\r" + line)
        sys.stderr.flush()

    return show


def import_task(run_id: int) -> dict[str, Any]:
    """The worker's side of a browser upload; a retry resumes where it stopped."""
    run = ImportRun.objects.get(pk=run_id)
    if run.status == ImportRun.Status.DONE:
        return {"created": run.created, "errors": run.errors}
    path = Path(run.upload.path)
    if not run.source_sha256:
        ImportRun.objects.filter(pk=run.pk).update(source_sha256=file_sha256(path))
        run.refresh_from_db()
    result = import_statements(path, run=run)
    return {"created": result.created, "errors": result.errors}
