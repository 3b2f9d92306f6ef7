"""Reading statements of reasons (DSA Transparency Database) in every format they come in.

- Daily-dump CSV: the current 38-column layout and the pre-July-2025 37-column one
  (no ``content_id_ean``), also inside ``.zip`` archives or ``.gz`` files.
- JSON API bodies: one statement, or ``{"statements": [...]}``.

Rows are streamed one at a time (bounded memory) and normalised to the current
vocabulary: categories and keywords renamed or deleted since v1 are mapped, with a
warning for deleted ones. Platform ids stay text (leading zeros matter). A row that
breaks the schema's rules gives an error and is skipped; a date order the database
itself lets through gives a warning only.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from appeals.vocabulary import AutomatedDecision, Category, DecisionGround, Measure

csv.field_size_limit(10 * 1024 * 1024)

RENAMED_CATEGORIES = {
    "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS": (
        "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS"
    ),
    "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE": "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
}
# Deleted in v2: mapped to the closest current category, with a warning.
DELETED_CATEGORIES = {
    "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR": "STATEMENT_CATEGORY_CYBER_VIOLENCE",
    "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT": "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
}
RENAMED_KEYWORDS = {
    "KEYWORD_ONLINE_BULLYING_INTIMIDATION": "KEYWORD_CYBER_BULLYING_INTIMIDATION",
    "KEYWORD_INSUFFICIENT_INFORMATION_TRADERS": "KEYWORD_INSUFFICIENT_INFORMATION_ON_TRADERS",
    "KEYWORD_DISINFORMATION": "KEYWORD_MISINFORMATION_DISINFORMATION",
    "KEYWORD_NON_CONSENSUAL_ITEMS_DEEPFAKE": "KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE",
}
DELETED_KEYWORDS = frozenset(
    {
        "KEYWORD_MISINFORMATION",
        "KEYWORD_FOREIGN_INFORMATION_MANIPULATION",
        "KEYWORD_REGULATED_GOODS_SERVICES",
        "KEYWORD_DANGEROUS_TOYS",
        "KEYWORD_GENDER_BASED_VIOLENCE",
        "KEYWORD_IMAGE_BASED_SEXUAL_ABUSE",
    }
)


@dataclass
class Statement:
    """One statement in the current vocabulary, ready to become a Takedown."""

    line: int
    uuid: str
    puid: str
    platform_name: str
    measures: list[str]
    decision_ground: str
    legal_provision: str
    terms_clause: str
    ground_explanation: str
    category: str
    territorial_scope: list[str]
    content_types: list[str]
    decided_on: date | None
    restriction_ends_on: date | None
    automated_detection: bool | None
    automated_decision: str
    statement_text: str
    content_url: str
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


def _list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            return [text]
        return [str(v) for v in parsed] if isinstance(parsed, list) else [str(parsed)]
    return [text]


def _date(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{name} is not a date: {text[:40]!r}")


def _yes_no(value: Any) -> bool | None:
    text = str(value or "").strip().lower()
    if text in ("yes", "true", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    return None


def _storable(value: Any) -> Any:
    """Text a database can hold: no NUL, no lone surrogate (JSON can escape both)."""
    if isinstance(value, str):
        return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def normalise(raw: dict[str, Any], line: int) -> Statement | RowError:
    """A raw CSV row or JSON object to a Statement, or the reason it is refused."""
    try:
        warnings: list[str] = []
        raw = {key: _storable(value) for key, value in raw.items()}
        uuid = str(raw.get("uuid") or "").strip()
        puid = str(raw.get("puid") or raw.get("platform_uid") or "").strip()
        if not uuid and not puid:
            return RowError(line, "no uuid and no puid: the statement cannot be identified")
        platform_name = str(raw.get("platform_name") or "").strip()
        if not platform_name:
            return RowError(line, "no platform_name")
        ground = str(raw.get("decision_ground") or "").strip()
        if ground not in DecisionGround.values:
            return RowError(line, f"decision_ground {ground[:60]!r} is not an allowed value")
        measures = [
            m
            for m in (
                _list(raw.get("decision_visibility"))
                + _list(raw.get("decision_monetary"))
                + _list(raw.get("decision_provision"))
                + _list(raw.get("decision_account"))
            )
            if m
        ]
        unknown = [m for m in measures if m not in Measure.values]
        if unknown:
            warnings.append(f"unknown measures kept out: {', '.join(unknown)[:120]}")
            measures = [m for m in measures if m in Measure.values]
        if not measures:
            return RowError(
                line,
                "no decision: one of decision_visibility, _monetary, _provision "
                "or _account is required",
            )
        category = str(raw.get("category") or "").strip()
        if category in RENAMED_CATEGORIES:
            category = RENAMED_CATEGORIES[category]
        elif category in DELETED_CATEGORIES:
            warnings.append(
                f"category {category} no longer exists; mapped to {DELETED_CATEGORIES[category]}"
            )
            category = DELETED_CATEGORIES[category]
        if category and category not in Category.values:
            return RowError(line, f"category {category[:80]!r} is not an allowed value")
        keywords = [RENAMED_KEYWORDS.get(k, k) for k in _list(raw.get("category_specification"))]
        dropped = [k for k in keywords if k in DELETED_KEYWORDS]
        if dropped:
            warnings.append(f"keywords no longer used: {', '.join(dropped)}")
        content_date = _date(raw.get("content_date"), "content_date")
        decided_on = _date(raw.get("application_date"), "application_date")
        ends = [
            _date(raw.get(name), name)
            for name in (
                "end_date_visibility_restriction",
                "end_date_monetary_restriction",
                "end_date_service_restriction",
                "end_date_account_restriction",
            )
        ]
        ends_on = max((d for d in ends if d), default=None)
        if content_date and decided_on and decided_on < content_date:
            warnings.append("application_date is before content_date")
        if ends_on and decided_on and ends_on < decided_on:
            warnings.append("a restriction ends before it was applied")
        automated = str(raw.get("automated_decision") or "").strip()
        if automated not in AutomatedDecision.values:
            automated = AutomatedDecision.UNKNOWN
        illegal = ground == DecisionGround.ILLEGAL_CONTENT
        return Statement(
            line=line,
            uuid=uuid,
            puid=puid,
            platform_name=platform_name,
            measures=measures,
            decision_ground=ground,
            legal_provision=str(raw.get("illegal_content_legal_ground") or "") if illegal else "",
            terms_clause="" if illegal else str(raw.get("incompatible_content_ground") or ""),
            ground_explanation=str(
                raw.get(
                    "illegal_content_explanation" if illegal else "incompatible_content_explanation"
                )
                or ""
            ),
            category=category,
            territorial_scope=_list(raw.get("territorial_scope")),
            content_types=_list(raw.get("content_type")),
            decided_on=decided_on,
            restriction_ends_on=ends_on,
            automated_detection=_yes_no(raw.get("automated_detection")),
            automated_decision=automated,
            statement_text=str(raw.get("decision_facts") or ""),
            content_url=str(raw.get("permalink") or "")[:2000],
            warnings=warnings,
        )
    except ValueError as exc:
        return RowError(line, str(exc))


def _csv_rows(handle: TextIO) -> Iterator[tuple[int, dict[str, Any]]]:
    # Line 1 is the header. (A quoted field may span lines; the index is the row's.)
    yield from enumerate(csv.DictReader(handle), start=2)


def _json_rows(handle: TextIO) -> Iterator[tuple[int, dict[str, Any]]]:
    body = json.load(handle)
    items = body.get("statements", [body]) if isinstance(body, dict) else body
    for index, item in enumerate(items, start=1):
        yield index, item if isinstance(item, dict) else {}


def _text(binary: Any) -> TextIO:
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Raw rows with their line (CSV) or position (JSON), from any supported file."""
    name = path.name.lower()
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            for member in sorted(archive.namelist()):
                if member.lower().endswith(".csv"):
                    with archive.open(member) as binary:
                        yield from _csv_rows(_text(binary))
        return
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rb") as binary:  # type: ignore[operator]
        handle = _text(binary)
        if name.removesuffix(".gz").endswith(".json"):
            yield from _json_rows(handle)
        else:
            yield from _csv_rows(handle)


def read_statements(path: Path) -> Iterator[Statement | RowError]:
    for line, raw in read_rows(path):
        yield normalise(raw, line)
