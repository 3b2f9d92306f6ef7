"""Statement imports as the supervisors follow them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from appeals.models import ImportRun


def import_runs() -> QuerySet[ImportRun]:
    """Every import run, newest first."""
    return ImportRun.objects.all()


def import_run_get(run_id: int) -> ImportRun:
    """One import run; an unknown one is a 404."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run
