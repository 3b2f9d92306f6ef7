"""Importing statements of reasons into Takedown records, in batches that commit as
they go, so an interrupted import resumes after its last committed batch."""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from appeals.importers import RowError, Statement, read_statements
from appeals.models import AuditAction, ImportRun, Platform, Takedown, User
from appeals.services.audit import audit_record
from appeals.states import IMPORT, transition
from appeals.tasks import enqueue

BATCH = 1000
MAX_PROBLEMS = 500


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _run_details(run: ImportRun, via: str, **extra: Any) -> dict[str, Any]:
    """What names an import in the trail: the run, its file and how it was started."""
    return {
        "model": "appeals.importrun",
        "id": run.pk,
        "file": run.source_name,
        "sha256": run.source_sha256,
        "via": via,
        **extra,
    }


@transaction.atomic
def import_request(*, upload: UploadedFile, by: User) -> ImportRun:
    """A supervisor uploads a statements file; a worker imports it after commit."""
    name = (upload.name or "upload")[:500]
    run = ImportRun.objects.create(source_name=name, source_sha256="", requested_by=by)
    run.upload.save(f"{run.pk}-{name[-80:]}", upload, save=True)
    audit_record(
        action=AuditAction.IMPORT_REQUESTED,
        actor=by,
        details=_run_details(run, "web upload", size=upload.size),
    )
    enqueue("appeals.tasks.import_task", run.pk)
    return run


class _Platforms:
    """Platform rows by name, created (and audited) the first time a name appears."""

    def __init__(self, run: ImportRun, by: User | None, via: str) -> None:
        self.by_name: dict[str, Platform] = {}
        self.run, self.by, self.via = run, by, via

    def get(self, name: str, puid_hint: str = "") -> Platform:
        if name not in self.by_name:
            platform = Platform.objects.filter(name=name).first()
            if platform is None:
                base = slugify(name)[:50] or "platform"
                slug, n = base, 1
                while Platform.objects.filter(slug=slug).exists():
                    n += 1
                    slug = f"{base}-{n}"
                platform = self._create(name, slug)
            self.by_name[name] = platform
        return self.by_name[name]

    @transaction.atomic
    def _create(self, name: str, slug: str) -> Platform:
        platform = Platform.objects.create(name=name, slug=slug)
        audit_record(
            action=AuditAction.REFERENCE_CREATED,
            actor=self.by,
            target=platform,
            details={
                "model": "appeals.platform",
                "id": platform.pk,
                "object": name[:300],
                "changes": {"name": [None, name], "slug": [None, slug]},
                "via": f"import {self.run.pk} ({self.via})",
            },
        )
        return platform


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
    by: User | None = None,
    via: str = "command line",
) -> ImportRun:
    """Import one file. Re-importing it creates nothing new; resuming skips the rows
    already committed. The trail records who (``by``; ``via`` says how: the command
    and its operating-system user, or a web upload), the file, the start, and the end
    with its counts or the failure; each batch commits between the two."""
    if run is None:
        sha = file_sha256(path)
        run = (
            ImportRun.objects.filter(source_sha256=sha)
            .exclude(status=ImportRun.Status.DONE)
            .first()
        )
        run = run or ImportRun.objects.create(source_name=path.name, source_sha256=sha)
    with transaction.atomic():
        resumed_from = run.rows_committed
        transition(
            IMPORT, run, ImportRun.Status.RUNNING, started_at=run.started_at or timezone.now()
        )
        audit_record(
            action=AuditAction.IMPORT_STARTED,
            actor=by,
            details=_run_details(run, via, resumed_from_row=resumed_from),
        )
    platforms = _Platforms(run, by, via)
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
    except Exception as exc:
        with transaction.atomic():
            transition(IMPORT, run, ImportRun.Status.FAILED)
            audit_record(
                action=AuditAction.IMPORT_FAILED,
                actor=by,
                details=_run_details(
                    run, via, rows_committed=run.rows_committed, error=type(exc).__name__
                ),
            )
        raise
    with transaction.atomic():
        transition(IMPORT, run, ImportRun.Status.DONE, rows_read=read, finished_at=timezone.now())
        audit_record(
            action=AuditAction.IMPORT_FINISHED,
            actor=by,
            details=_run_details(
                run,
                via,
                rows=run.rows_read,
                created=run.created,
                duplicates=run.duplicates,
                errors=run.errors,
                warnings=run.warnings,
            ),
        )
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


def import_run(*, run_id: int) -> dict[str, Any]:
    """The worker's side of a browser upload (appeals.tasks.import_task); a retry
    resumes where it stopped."""
    run = ImportRun.objects.get(pk=run_id)
    if run.status == ImportRun.Status.DONE:
        return {"created": run.created, "errors": run.errors}
    path = Path(run.upload.path)
    if not run.source_sha256:
        ImportRun.objects.filter(pk=run.pk).update(source_sha256=file_sha256(path))
        run.refresh_from_db()
    result = import_statements(path, run=run, by=run.requested_by, via="web upload")
    return {"created": result.created, "errors": result.errors}
