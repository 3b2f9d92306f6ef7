"""Transparency statistics: the anonymous count each action records as it happens
(``StatFact``, no personal data). The figures are read in ``appeals.selectors.statistics``."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from appeals.models import StatFact, StatKind


def stat_record(
    *,
    kind: StatKind,
    at: datetime,
    time_zone: str,
    jurisdiction: str = "",
    platform: str = "",
    category: str = "",
    outcome: str = "",
    hours: float | None = None,
    on_time: bool | None = None,
    trusted_flagger: bool | None = None,
    automated: bool | None = None,
) -> StatFact:
    """Count one event on the day it happened in the case's own time zone."""
    return StatFact.objects.create(
        kind=kind,
        day=at.astimezone(ZoneInfo(time_zone)).date(),
        jurisdiction=jurisdiction,
        platform=platform,
        category=category,
        outcome=outcome,
        hours=hours,
        on_time=on_time,
        trusted_flagger=trusted_flagger,
        automated=automated,
    )
