"""Review deadlines, clock pauses and the appeal window: pure date arithmetic.

This module knows nothing about models or the database. Callers pass in a start time,
a deadline policy (an amount and a :class:`Unit`) and a :class:`Calendar` (a time zone
and, optionally, a public-holiday calendar), and get back an aware datetime in UTC.

The project's default policies are defined elsewhere; for reference they are:
acknowledge within 1 business day; decide appeals within 14 calendar days;
trusted-flagger reports within 2 business days; intimate-image and child-abuse reports
within 48 hours; retractions within 72 hours.

Conventions
-----------
*Local day.* The day of the start is the calendar date of ``start`` converted to the
calendar's time zone (an IANA name, resolved with :mod:`zoneinfo`), never the UTC date.

*End of a local day.* A day-based deadline falls due at the last instant of a local
day, i.e. 23:59:59.999999 local wall-clock time, returned as an aware UTC datetime.
Exactly: it is one microsecond before the first instant of the following local day.
That equals 23:59:59.999999 local time on every day in zones whose clocks change in
the small hours (Europe/London, Europe/Berlin, America/New_York, ...), whether the day
is 23, 24 or 25 hours long, and it stays right in zones whose clocks change at
midnight (e.g. America/Santiago, where 23:00-23:59 can happen twice; the deadline is
the end of the second pass).

``calendar_days``
    Due at the end of the local day that is N days after the local day of the start.
    Received Tue 3 Nov 2026 10:00 Europe/Berlin, 14 calendar days: due
    Tue 17 Nov 2026 23:59:59.999999 Berlin time (22:59:59.999999 UTC).

``business_days``
    Due at the end of the Nth business day after the local day of the start. The day
    of receipt never counts, whether or not it is itself a business day, and whatever
    the time of receipt. A business day is a Monday to Friday that is not a public
    holiday of the calendar's holiday country (``holidays.country_holidays``). With no
    holiday country (``""``) only weekends are skipped. Holidays are loaded for every
    year the count passes through, so a count across New Year uses the next year's
    holidays. Received Fri 6 Nov 2026 21:00 Berlin, 1 business day: due
    Mon 9 Nov 2026 23:59:59.999999 Berlin time.

``hours``
    Due exactly N hours of elapsed (absolute) time after the start. Clock changes do
    not alter the elapsed duration, so across the autumn change 48 hours later reads
    one hour earlier on the wall clock; weekends and holidays are ignored.

*Clock pauses.* While the portal waits for the appellant the clock stops:
:func:`resume` moves a due time later by exactly the elapsed time between pause and
resumption (absolute time, so a pause across a clock change counts its real length).

*Appeal window* (DSA Art. 20(1): at least six months from the day the user was
informed). The last day to appeal is ``informed_on`` plus ``months`` calendar months,
clamped to the end of a shorter month (31 Aug 2026 + 6 months = 28 Feb 2027;
31 Aug 2027 + 6 months = 29 Feb 2028). A filing is in time when its date in the
jurisdiction's time zone is on or before that day, so 23:30 New York time on the last
day is in time although it is already the next day in UTC.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]

__all__ = [
    "MINIMUM_APPEAL_WINDOW_MONTHS",
    "Calendar",
    "Unit",
    "appeal_window_last_day",
    "due_at",
    "is_within_appeal_window",
    "resume",
]

#: DSA Art. 20(1): an appeal must stay possible for at least six months.
MINIMUM_APPEAL_WINDOW_MONTHS = 6

_ONE_DAY = timedelta(days=1)
_ONE_MICROSECOND = timedelta(microseconds=1)
_SATURDAY = 5  # date.weekday(): Monday is 0, Saturday 5, Sunday 6.


class Unit(str, enum.Enum):  # noqa: UP042 - the agreed API; StrEnum would change str()
    """The unit of a deadline policy's amount (a ``str``, so ``Unit.HOURS == "hours"``)."""

    CALENDAR_DAYS = "calendar_days"
    BUSINESS_DAYS = "business_days"
    HOURS = "hours"


def _zone(name: str) -> ZoneInfo:
    """Return the IANA time zone ``name``; ValueError if there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"Unknown time zone: {name!r}") from exc


def _country_holidays(code: str, **kwargs: Any) -> holidays.HolidayBase:
    """``"GB"`` is the whole country; ``"GB-ENG"`` adds a subdivision's own holidays
    (England's Easter Monday and August bank holiday, a German Land's, a US state's)."""
    country, _, subdivision = code.partition("-")
    return holidays.country_holidays(country, subdiv=subdivision or None, **kwargs)


@functools.lru_cache(maxsize=256)
def _check_holiday_country(country: str) -> None:
    """Raise ValueError unless ``country`` is a code ``holidays`` knows (cached)."""
    try:
        _country_holidays(country)
    except NotImplementedError as exc:
        raise ValueError(f"Unknown holiday calendar: {country!r}") from exc


@functools.lru_cache(maxsize=4096)
def _holiday_dates(country: str, year: int) -> frozenset[date]:
    """Public holidays of ``country`` falling in ``year``, cached per (country, year).

    The ``holidays`` object is turned into a frozen set so the cached value cannot grow
    or change behind the cache's back (a ``holidays`` object adds years on lookup).
    """
    calendar = _country_holidays(country, years=year)
    return frozenset(day for day in calendar if day.year == year)


@dataclass(frozen=True)
class Calendar:
    """Where business days and local days are reckoned.

    ``time_zone`` is an IANA name such as ``"Europe/Berlin"``. ``holiday_country`` is a
    code for ``holidays.country_holidays`` (e.g. ``"DE"``), or ``""`` for a calendar
    with no public holidays (weekends only). Both are checked on construction:
    unknown values raise ValueError.
    """

    time_zone: str
    holiday_country: str = ""

    def __post_init__(self) -> None:
        _zone(self.time_zone)
        if self.holiday_country:
            _check_holiday_country(self.holiday_country)

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone as a :class:`zoneinfo.ZoneInfo`."""
        return _zone(self.time_zone)

    def is_business_day(self, day: date) -> bool:
        """True if ``day`` is Monday to Friday and not a public holiday of the calendar."""
        if day.weekday() >= _SATURDAY:
            return False
        if not self.holiday_country:
            return True
        return day not in _holiday_dates(self.holiday_country, day.year)


def _require_aware(value: datetime, name: str) -> None:
    """Raise ValueError if ``value`` is a naive datetime (no usable UTC offset)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


def _end_of_local_day(day: date, zone: ZoneInfo) -> datetime:
    """The last instant of local ``day`` in ``zone``, as an aware UTC datetime.

    Computed as one microsecond before the first instant of the next local day, so the
    answer is right on 23-, 24- and 25-hour days. Local midnight with ``fold=0`` is
    the first instant of a day both when midnight happens twice (its first pass) and
    when it is skipped (it then maps to the moment the clocks jump).
    """
    next_midnight = datetime.combine(day + _ONE_DAY, time.min, tzinfo=zone)
    return next_midnight.astimezone(UTC) - _ONE_MICROSECOND


def _nth_business_day_after(day: date, amount: int, calendar: Calendar) -> date:
    """The ``amount``-th business day strictly after ``day`` (``day`` never counts)."""
    current = day
    remaining = amount
    while remaining:
        current += _ONE_DAY
        if calendar.is_business_day(current):
            remaining -= 1
    return current


def due_at(*, start: datetime, amount: int, unit: Unit | str, calendar: Calendar) -> datetime:
    """When a deadline of ``amount`` ``unit`` counted from ``start`` falls due, in UTC.

    * ``calendar_days``: end (23:59:59.999999 local) of the local day ``amount`` days
      after the local day of ``start``.
    * ``business_days``: end of the ``amount``-th business day after the local day of
      ``start``; the day of receipt never counts.
    * ``hours``: exactly ``amount`` hours of elapsed time after ``start``.

    ``start`` must be timezone-aware and ``amount`` an int of at least 1; otherwise
    ValueError (TypeError if ``amount`` is not an int). An unknown ``unit`` string
    raises ValueError. The result is an aware datetime whose tzinfo is UTC.
    """
    _require_aware(start, "start")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"amount must be an int, got {amount!r}")
    if amount < 1:
        raise ValueError(f"amount must be at least 1, got {amount}")
    try:
        unit = Unit(unit)
    except ValueError:
        choices = ", ".join(member.value for member in Unit)
        raise ValueError(f"Unknown deadline unit {unit!r}; expected one of {choices}") from None

    if unit is Unit.HOURS:
        # Convert first: adding a timedelta to a datetime in a ZoneInfo zone is wall-clock
        # arithmetic; in UTC it is elapsed time.
        return start.astimezone(UTC) + timedelta(hours=amount)

    zone = calendar.zone
    local_day = start.astimezone(zone).date()
    if unit is Unit.CALENDAR_DAYS:
        due_day = local_day + timedelta(days=amount)
    else:
        due_day = _nth_business_day_after(local_day, amount, calendar)
    return _end_of_local_day(due_day, zone)


def resume(*, due_at: datetime, paused_at: datetime, resumed_at: datetime) -> datetime:
    """Move ``due_at`` later by the time the clock was paused, returned in UTC.

    The shift is exactly the elapsed duration ``resumed_at - paused_at``, measured in
    absolute time (a pause across a clock change counts its real length, not the
    wall-clock difference). All three datetimes must be timezone-aware (ValueError);
    ``resumed_at`` before ``paused_at`` raises ValueError. Equal times leave the due
    time unchanged.
    """
    _require_aware(due_at, "due_at")
    _require_aware(paused_at, "paused_at")
    _require_aware(resumed_at, "resumed_at")
    # Subtracting two datetimes that share a ZoneInfo ignores their offsets; in UTC the
    # difference is the elapsed time.
    paused_for = resumed_at.astimezone(UTC) - paused_at.astimezone(UTC)
    if paused_for < timedelta(0):
        raise ValueError(f"resumed_at ({resumed_at!r}) is before paused_at ({paused_at!r})")
    return due_at.astimezone(UTC) + paused_for


def _check_window_months(months: int) -> None:
    """Raise unless ``months`` is an int of at least the legal minimum of six."""
    if isinstance(months, bool) or not isinstance(months, int):
        raise TypeError(f"months must be an int, got {months!r}")
    if months < MINIMUM_APPEAL_WINDOW_MONTHS:
        raise ValueError(
            f"An appeal window must be at least {MINIMUM_APPEAL_WINDOW_MONTHS} months "
            f"(DSA Art. 20(1)), got {months}"
        )


def appeal_window_last_day(*, informed_on: date, months: int) -> date:
    """The last day on which an appeal may be filed.

    ``informed_on`` plus ``months`` calendar months, clamped to the end of a shorter
    month: 31 Aug 2026 + 6 months is 28 Feb 2027, 31 Aug 2027 + 6 months is
    29 Feb 2028. ``months`` below six (the DSA Art. 20(1) minimum) raises ValueError.
    ``informed_on`` must be a date, not a datetime (TypeError): a datetime's day
    depends on a time zone, which the caller must settle first.
    """
    _check_window_months(months)
    if isinstance(informed_on, datetime):
        raise TypeError("informed_on must be a date, not a datetime")
    last_day: date = informed_on + relativedelta(months=months)
    return last_day


def is_within_appeal_window(
    *, informed_on: date, months: int, filed_at: datetime, time_zone: str
) -> bool:
    """True if an appeal filed at ``filed_at`` is in time.

    It is in time when the date of ``filed_at`` in ``time_zone`` (the jurisdiction's
    IANA zone) is on or before :func:`appeal_window_last_day`. If ``informed_on`` is
    after that local date the filing is not late, so this returns True (rejecting
    future dates is another check's job). ``months`` below six raises ValueError, as
    do a naive ``filed_at`` and an unknown ``time_zone``.
    """
    last_day = appeal_window_last_day(informed_on=informed_on, months=months)
    _require_aware(filed_at, "filed_at")
    filed_on = filed_at.astimezone(_zone(time_zone)).date()
    if informed_on > filed_on:
        return True
    return filed_on <= last_day
