"""Transparency statistics (DSA Art. 15, 24): per period, published, and never small
enough to identify a person.

Every figure comes from ``StatFact`` rows that the services write as things
happen, carrying no personal data; so statistics survive anonymisation unchanged.
Counts below ``STATS_SUPPRESS_BELOW`` (default 10) are suppressed, and so is any
rate, median or share computed from fewer cases, so nobody can be identified.
"""

from __future__ import annotations

import math
import re
import statistics as pystats
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from appeals.models import StatFact, StatKind, TransparencyReport
from appeals.models.decision import REVERSING_OUTCOMES


@dataclass(frozen=True)
class Period:
    start: date  # inclusive
    end: date  # exclusive
    label: str

    @classmethod
    def parse(cls, raw: str, *, today: date) -> Period:
        """ "2026", "2026-Q4" or "2026-11"; anything else means the current quarter."""
        raw = (raw or "").strip().upper()
        if m := re.fullmatch(r"(\d{4})-(\d{2})", raw, re.ASCII):
            year, month = int(m[1]), int(m[2])
            if 1 <= month <= 12 and 2000 <= year <= 2100:
                start = date(year, month, 1)
                end = date(year + (month == 12), month % 12 + 1, 1)
                return cls(start, end, raw)
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", raw, re.ASCII):
            year, quarter = int(m[1]), int(m[2])
            if 2000 <= year <= 2100:
                start = date(year, 3 * quarter - 2, 1)
                end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
                return cls(start, end, raw)
        if m := re.fullmatch(r"(\d{4})", raw, re.ASCII):
            year = int(m[1])
            if 2000 <= year <= 2100:
                return cls(date(year, 1, 1), date(year + 1, 1, 1), raw)
        quarter = (today.month - 1) // 3 + 1
        return cls.parse(f"{today.year}-Q{quarter}", today=today)


@dataclass(frozen=True)
class Filters:
    jurisdiction: str = ""
    platform: str = ""
    category: str = ""


def _suppress(value: int | None) -> int | None:
    if value is None:
        return None
    return value if value == 0 or value >= settings.STATS_SUPPRESS_BELOW else None


def _facts(kind: StatKind, period: Period, filters: Filters) -> QuerySet[StatFact]:
    rows = StatFact.objects.filter(kind=kind, day__gte=period.start, day__lt=period.end)
    if filters.jurisdiction:
        rows = rows.filter(jurisdiction=filters.jurisdiction)
    if filters.platform:
        rows = rows.filter(platform=filters.platform)
    if filters.category:
        rows = rows.filter(category=filters.category)
    return rows


def _percentiles(rows: QuerySet[StatFact]) -> tuple[float | None, float | None]:
    """Median (the middle value, or the mean of the two middle values) and the 90th
    percentile (nearest rank), in hours. PostgreSQL computes them in the database."""
    if connection.vendor == "postgresql":
        sql, params = rows.filter(hours__isnull=False).values("hours").query.sql_with_params()
        with connection.cursor() as cursor:
            # The inner query is Django's own, with its parameters passed separately.
            query = (
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY hours), "  # noqa: S608  # nosec B608
                "percentile_disc(0.9) WITHIN GROUP (ORDER BY hours) "
                f"FROM ({sql}) AS facts"
            )
            cursor.execute(query, params)
            median, p90 = cursor.fetchone()
        return median, p90
    hours = sorted(
        h for h in rows.filter(hours__isnull=False).values_list("hours", flat=True) if h is not None
    )
    if not hours:
        return None, None
    return pystats.median(hours), hours[math.ceil(0.9 * len(hours)) - 1]


def _by(rows: QuerySet[StatFact], field: str) -> dict[str, int | None]:
    counts = rows.values(field).annotate(n=Count("id")).order_by(field)
    return {row[field] or "": _suppress(row["n"]) for row in counts}


def _share(part: int, whole: int) -> float | None:
    if whole < settings.STATS_SUPPRESS_BELOW or part is None:
        return None
    return round(part / whole, 4)


def statistics_for(period: Period, filters: Filters | None = None) -> dict[str, Any]:
    filters = filters or Filters()
    received = _facts(StatKind.APPEAL_RECEIVED, period, filters)
    decided = _facts(StatKind.APPEAL_DECIDED, period, filters)
    decided_totals = decided.aggregate(
        n=Count("id"),
        reversed=Count("id", filter=Q(outcome__in=REVERSING_OUTCOMES)),
        on_time=Count("id", filter=Q(on_time=True)),
        automated=Count("id", filter=Q(automated=True)),
    )
    n_decided = decided_totals["n"]
    median, p90 = (
        _percentiles(decided) if n_decided >= settings.STATS_SUPPRESS_BELOW else (None, None)
    )
    ordered = _facts(StatKind.RETRACTION_ORDERED, period, filters).count()
    done = _facts(StatKind.RETRACTION_DONE, period, filters).aggregate(
        n=Count("id"), on_time=Count("id", filter=Q(on_time=True))
    )
    reports = _facts(StatKind.REPORT_RECEIVED, period, filters)
    report_totals = reports.aggregate(
        n=Count("id"), flagged=Count("id", filter=Q(trusted_flagger=True))
    )
    referrals = _facts(StatKind.REFERRAL_CLOSED, period, filters)
    sanctions = StatFact.objects.filter(
        kind=StatKind.SANCTION, day__gte=period.start, day__lt=period.end
    )
    return {
        "period": {
            "label": period.label,
            "start": period.start.isoformat(),
            "end": (period.end - timedelta(days=1)).isoformat(),
        },
        "filters": {
            "jurisdiction": filters.jurisdiction,
            "platform": filters.platform,
            "category": filters.category,
        },
        "suppressed_below": settings.STATS_SUPPRESS_BELOW,
        "appeals": {
            "received": _suppress(received.count()),
            "received_by_jurisdiction": _by(received, "jurisdiction"),
            "received_by_platform": _by(received, "platform"),
            "decided": _suppress(n_decided),
            "outcomes": _by(decided, "outcome"),
            "reversed": _suppress(decided_totals["reversed"]),
            "reversal_rate": _share(decided_totals["reversed"], n_decided),
            "median_hours_to_decision": round(median, 2) if median is not None else None,
            "p90_hours_to_decision": round(p90, 2) if p90 is not None else None,
            "share_decided_within_deadline": _share(decided_totals["on_time"], n_decided),
            "decided_with_automated_means": _suppress(decided_totals["automated"]),
        },
        "retractions": {
            "ordered": _suppress(ordered),
            "carried_out": _suppress(done["n"]),
            "carried_out_on_time": _suppress(done["on_time"]),
            "share_on_time": _share(done["on_time"], done["n"]),
        },
        "reports": {
            "received": _suppress(report_totals["n"]),
            "by_category": _by(reports, "category"),
            "trusted_flagger_share": _share(report_totals["flagged"], report_totals["n"]),
            "referrals_answered": _by(referrals, "outcome"),
        },
        "suspensions": {
            "by_kind": _by(sanctions, "outcome"),
        },
    }


def flatten(figures: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """The figures as (name, value) rows, for CSV."""
    rows: list[tuple[str, Any]] = []
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows.extend(flatten(value, f"{name}."))
        else:
            rows.append((name, "suppressed" if value is None else value))
    return rows


def published_statistics(period: Period, filters: Filters | None = None) -> dict[str, Any]:
    """``statistics_for`` as the public pages show it: computed at most once per
    ``STATS_CACHE_SECONDS`` for each period and filter, in the shared cache.

    The figures are aggregates over hundreds of thousands of facts (0.1-0.5 s at a
    million); a public page must not recompute them for every visitor. A few minutes'
    delay is acceptable for published statistics (DSA Art. 24 asks for them per
    reporting period).
    """
    filters = filters or Filters()
    seconds = settings.STATS_CACHE_SECONDS
    if seconds <= 0:
        return statistics_for(period, filters)
    key = ":".join(
        [
            "stats:v1",
            period.start.isoformat(),
            period.end.isoformat(),
            filters.jurisdiction,
            filters.platform,
            filters.category,
        ]
    )
    figures = cache.get(key)
    if figures is None:
        figures = statistics_for(period, filters)
        cache.set(key, figures, seconds)
    return dict(figures)


# --- Transparency reports --------------------------------------------------------------


def transparency_reports() -> QuerySet[TransparencyReport]:
    """Every transparency report, requested or built, newest first (staff)."""
    return TransparencyReport.objects.all()


def transparency_report_get(report_id: int) -> TransparencyReport:
    """A transparency report in any state (staff); an unknown one is a 404."""
    report = TransparencyReport.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


def transparency_reports_published() -> QuerySet[TransparencyReport]:
    """The reports that are built, as the public page lists them."""
    return TransparencyReport.objects.filter(status=TransparencyReport.Status.DONE)


def transparency_report_published(report_id: int) -> TransparencyReport | None:
    """A built report, or None (the public download answers 404)."""
    return TransparencyReport.objects.filter(
        pk=report_id, status=TransparencyReport.Status.DONE
    ).first()
