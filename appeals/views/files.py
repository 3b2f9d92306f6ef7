"""Streaming stored evidence to whoever a view has allowed to have it."""

from __future__ import annotations

from django.http import FileResponse

from appeals.evidence_types import served_type
from appeals.models import EvidenceFile
from appeals.selectors import evidence_served_name


def evidence_file_response(evidence: EvidenceFile) -> FileResponse:
    """Every door that serves evidence answers through here: as an attachment named
    by the portal (never the uploader), typed by what was detected, never rendered."""
    kind = served_type(evidence.mime)
    content_type = f"{kind.mime}; charset=utf-8" if kind.mime == "text/plain" else kind.mime
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence_served_name(evidence),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
