"""Property tests for appeals.sla (hypothesis).

Expected values are literals worked out by hand; see tests/sla_common.py for the
offsets and clock changes they rely on."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from appeals.sla import Calendar, Unit, appeal_window_last_day, due_at, resume
from tests.sla_common import BIZ, CAL, DE, HOURS, PROPERTY_SETTINGS

# --- Properties ----------------------------------------------------------------------------

ZONE_NAMES = [
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Paris",
    "America/New_York",
    "America/Santiago",
    "Pacific/Auckland",
    "Asia/Kolkata",
]
HOLIDAY_COUNTRIES = ["", "DE", "FR", "GB", "US", "NZ", "CL"]

calendars = st.builds(
    Calendar,
    time_zone=st.sampled_from(ZONE_NAMES),
    holiday_country=st.sampled_from(HOLIDAY_COUNTRIES),
)
aware_datetimes = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2040, 12, 31),
    timezones=st.sampled_from([ZoneInfo(name) for name in ZONE_NAMES]),
    allow_imaginary=False,
)


@PROPERTY_SETTINGS
@given(
    start=aware_datetimes,
    amount=st.integers(min_value=1, max_value=400),
    unit=st.sampled_from(list(Unit)),
    calendar=calendars,
)
def test_property_due_at_is_always_after_start(
    start: datetime, amount: int, unit: Unit, calendar: Calendar
) -> None:
    result = due_at(start=start, amount=amount, unit=unit, calendar=calendar)
    assert result > start
    assert result.tzinfo is UTC


@PROPERTY_SETTINGS
@given(start=aware_datetimes, amount=st.integers(min_value=1, max_value=60), calendar=calendars)
def test_property_business_day_due_dates_fall_at_the_end_of_a_business_day(
    start: datetime, amount: int, calendar: Calendar
) -> None:
    result = due_at(start=start, amount=amount, unit=BIZ, calendar=calendar)
    local = result.astimezone(calendar.zone)
    assert calendar.is_business_day(local.date())
    assert local.time() == time(23, 59, 59, 999999)
    # Exactly `amount` business days lie after the day of receipt, up to the due day.
    day = start.astimezone(calendar.zone).date()
    counted = 0
    while day < local.date():
        day += timedelta(days=1)
        counted += calendar.is_business_day(day)
    assert counted == amount


@PROPERTY_SETTINGS
@given(start=aware_datetimes, amount=st.integers(min_value=1, max_value=400), calendar=calendars)
def test_property_calendar_day_due_dates_are_the_end_of_the_nth_local_day(
    start: datetime, amount: int, calendar: Calendar
) -> None:
    result = due_at(start=start, amount=amount, unit=CAL, calendar=calendar)
    local = result.astimezone(calendar.zone)
    assert local.date() == start.astimezone(calendar.zone).date() + timedelta(days=amount)
    assert local.time() == time(23, 59, 59, 999999)
    # One microsecond later is already the next local day.
    after = (result + timedelta(microseconds=1)).astimezone(calendar.zone)
    assert after.date() == local.date() + timedelta(days=1)


@PROPERTY_SETTINGS
@given(start=aware_datetimes, amount=st.integers(min_value=1, max_value=1000))
def test_property_hours_are_elapsed_time(start: datetime, amount: int) -> None:
    result = due_at(start=start, amount=amount, unit=HOURS, calendar=DE)
    assert result - start == timedelta(hours=amount)


@PROPERTY_SETTINGS
@given(
    due=aware_datetimes,
    paused=aware_datetimes,
    pause=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)),
)
def test_property_resume_moves_the_due_time_by_the_pause(
    due: datetime, paused: datetime, pause: timedelta
) -> None:
    # Compared as UTC instants: Python never finds an ambiguous local time (the
    # repeated hour at a DST change) equal to a time in another zone (PEP 495).
    assert resume(due_at=due, paused_at=paused, resumed_at=paused) == due.astimezone(UTC)
    resumed = (paused.astimezone(UTC) + pause).astimezone(paused.tzinfo)
    assert resume(due_at=due, paused_at=paused, resumed_at=resumed) - due == pause


@PROPERTY_SETTINGS
@given(
    informed_on=st.dates(min_value=date(2020, 1, 1), max_value=date(2060, 12, 31)),
    months=st.integers(min_value=6, max_value=36),
)
def test_property_appeal_window_is_months_later_and_never_overshoots(
    informed_on: date, months: int
) -> None:
    last_day = appeal_window_last_day(informed_on=informed_on, months=months)
    month_index = informed_on.year * 12 + informed_on.month - 1 + months
    year, month_zero_based = divmod(month_index, 12)
    assert (last_day.year, last_day.month) == (year, month_zero_based + 1)
    assert last_day.day <= informed_on.day
    assert last_day.day == informed_on.day or (last_day + timedelta(days=1)).day == 1


def test_a_subdivision_code_adds_its_own_holidays() -> None:
    # Easter Monday 2027 (29 March) is a bank holiday in England, not UK-wide.
    england = Calendar(time_zone="Europe/London", holiday_country="GB-ENG")
    united_kingdom = Calendar(time_zone="Europe/London", holiday_country="GB")
    assert not england.is_business_day(date(2027, 3, 29))
    assert united_kingdom.is_business_day(date(2027, 3, 29))
