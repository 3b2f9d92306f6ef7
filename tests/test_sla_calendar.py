"""Tests for appeals.sla: units, calendars, and deadlines counted in calendar days.

Expected values are literals worked out by hand; see tests/sla_common.py for the
offsets and clock changes they rely on."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import holidays
import pytest

from appeals import sla
from appeals.sla import Calendar, Unit, due_at
from tests.sla_common import (
    AUCKLAND_WEEKENDS_ONLY,
    BERLIN,
    BERLIN_WEEKENDS_ONLY,
    BIZ,
    CAL,
    DE,
    FR,
    GB,
    HOURS,
    LONDON,
    NEW_YORK,
    SANTIAGO,
    SANTIAGO_WEEKENDS_ONLY,
    US,
)

# --- Unit ----------------------------------------------------------------------------------


def test_unit_values_are_the_policy_strings() -> None:
    assert Unit("calendar_days") is Unit.CALENDAR_DAYS
    assert Unit("business_days") is Unit.BUSINESS_DAYS
    assert Unit("hours") is Unit.HOURS
    assert Unit.HOURS == "hours"
    assert isinstance(Unit.HOURS, str)


def test_unit_may_be_given_as_a_plain_string() -> None:
    start = datetime(2026, 11, 3, 10, 0, tzinfo=BERLIN)
    expected = datetime(2026, 11, 17, 22, 59, 59, 999999, tzinfo=UTC)
    assert due_at(start=start, amount=14, unit="calendar_days", calendar=DE) == expected
    assert due_at(start=start, amount=14, unit=Unit.CALENDAR_DAYS, calendar=DE) == expected


def test_unknown_unit_raises() -> None:
    start = datetime(2026, 11, 3, 10, 0, tzinfo=BERLIN)
    with pytest.raises(ValueError, match="weeks"):
        due_at(start=start, amount=1, unit="weeks", calendar=DE)


# --- Calendar ------------------------------------------------------------------------------


def test_calendar_rejects_an_unknown_time_zone() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus_Mons"):
        Calendar(time_zone="Mars/Olympus_Mons")
    with pytest.raises(ValueError):
        Calendar(time_zone="")
    with pytest.raises(ValueError):
        Calendar(time_zone="../etc/passwd")


def test_calendar_rejects_an_unknown_holiday_country() -> None:
    with pytest.raises(ValueError, match="XX"):
        Calendar(time_zone="Europe/Berlin", holiday_country="XX")


def test_calendar_is_frozen_and_hashable() -> None:
    assert Calendar(time_zone="Europe/Berlin", holiday_country="DE") == DE
    assert len({DE, Calendar(time_zone="Europe/Berlin", holiday_country="DE"), FR}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        DE.time_zone = "UTC"  # type: ignore[misc]


def test_calendar_holiday_country_defaults_to_none() -> None:
    assert Calendar(time_zone="UTC").holiday_country == ""


def test_saturday_and_sunday_are_not_business_days() -> None:
    assert not BERLIN_WEEKENDS_ONLY.is_business_day(date(2026, 11, 7))  # Saturday
    assert not BERLIN_WEEKENDS_ONLY.is_business_day(date(2026, 11, 8))  # Sunday
    assert not DE.is_business_day(date(2026, 11, 7))
    assert not US.is_business_day(date(2026, 11, 8))


def test_monday_to_friday_are_business_days_when_not_holidays() -> None:
    for day in range(9, 14):  # Mon 9 - Fri 13 Nov 2026
        assert DE.is_business_day(date(2026, 11, day))
        assert BERLIN_WEEKENDS_ONLY.is_business_day(date(2026, 11, day))


def test_public_holidays_are_not_business_days() -> None:
    assert not DE.is_business_day(date(2025, 10, 3))  # German Unity Day, a Friday
    assert not DE.is_business_day(date(2025, 12, 25))  # Christmas Day, Thursday
    assert not DE.is_business_day(date(2025, 12, 26))  # Second Day of Christmas, Friday
    assert not FR.is_business_day(date(2026, 7, 14))  # Bastille Day, Tuesday
    assert not FR.is_business_day(date(2026, 11, 11))  # Armistice Day, Wednesday
    assert not GB.is_business_day(date(2026, 12, 28))  # Boxing Day (substitute), Monday
    assert not US.is_business_day(date(2026, 11, 26))  # Thanksgiving, Thursday


def test_one_countrys_holiday_is_a_business_day_elsewhere() -> None:
    assert DE.is_business_day(date(2026, 7, 14))  # Bastille Day is French
    assert FR.is_business_day(date(2026, 11, 27))  # the day after Thanksgiving
    assert US.is_business_day(date(2026, 11, 27))  # ... is not a federal holiday either
    assert DE.is_business_day(date(2026, 12, 28))  # the GB Boxing Day substitute
    assert DE.is_business_day(date(2026, 12, 24))  # Christmas Eve is not a DE holiday


def test_a_calendar_without_holidays_counts_holidays_as_business_days() -> None:
    assert BERLIN_WEEKENDS_ONLY.is_business_day(date(2025, 10, 3))
    assert BERLIN_WEEKENDS_ONLY.is_business_day(date(2025, 12, 25))


def test_holiday_lookups_are_cached_per_country_and_year(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, object]] = []
    real = holidays.country_holidays

    def counting(country: str, *args: object, **kwargs: object) -> object:
        calls.append((country, kwargs.get("years")))
        return real(country, *args, **kwargs)  # type: ignore[arg-type]

    sla._holiday_dates.cache_clear()
    monkeypatch.setattr(holidays, "country_holidays", counting)
    try:
        start = datetime(2026, 12, 24, 10, 0, tzinfo=BERLIN)
        for _ in range(5):
            # Thu 24 Dec 2026 + 5 business days crosses into 2027: two years loaded.
            assert due_at(start=start, amount=5, unit=BIZ, calendar=DE) == datetime(
                2027, 1, 4, 22, 59, 59, 999999, tzinfo=UTC
            )
        assert sorted(calls, key=repr) == [("DE", 2026), ("DE", 2027)]
    finally:
        sla._holiday_dates.cache_clear()


# --- Validation of due_at ------------------------------------------------------------------


@pytest.mark.parametrize("unit", list(Unit))
def test_naive_start_raises(unit: Unit) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_at(start=datetime(2026, 11, 3, 10, 0), amount=1, unit=unit, calendar=DE)


@pytest.mark.parametrize("unit", list(Unit))
@pytest.mark.parametrize("amount", [0, -1, -14])
def test_amount_below_one_raises(unit: Unit, amount: int) -> None:
    start = datetime(2026, 11, 3, 10, 0, tzinfo=BERLIN)
    with pytest.raises(ValueError, match="at least 1"):
        due_at(start=start, amount=amount, unit=unit, calendar=DE)


@pytest.mark.parametrize("amount", [True, 1.5, "2"])
def test_amount_that_is_not_an_int_raises(amount: object) -> None:
    start = datetime(2026, 11, 3, 10, 0, tzinfo=BERLIN)
    with pytest.raises(TypeError):
        due_at(start=start, amount=amount, unit=HOURS, calendar=DE)  # type: ignore[arg-type]


@pytest.mark.parametrize("unit", list(Unit))
def test_due_at_returns_an_aware_utc_datetime(unit: Unit) -> None:
    start = datetime(2026, 11, 3, 10, 0, tzinfo=NEW_YORK)
    result = due_at(start=start, amount=2, unit=unit, calendar=US)
    assert result.tzinfo is UTC


# --- Calendar days -------------------------------------------------------------------------


def test_calendar_days_fall_due_at_the_end_of_the_local_day_n_days_later() -> None:
    # Tue 3 Nov 2026 10:00 Berlin + 14 calendar days -> Tue 17 Nov 2026 23:59:59.999999 CET.
    start = datetime(2026, 11, 3, 10, 0, tzinfo=BERLIN)
    result = due_at(start=start, amount=14, unit=CAL, calendar=DE)
    assert result == datetime(2026, 11, 17, 22, 59, 59, 999999, tzinfo=UTC)
    assert result == datetime(2026, 11, 17, 23, 59, 59, 999999, tzinfo=BERLIN)


def test_calendar_days_ignore_the_time_of_receipt() -> None:
    expected = datetime(2026, 11, 17, 22, 59, 59, 999999, tzinfo=UTC)
    for start in (
        datetime(2026, 11, 3, 0, 0, tzinfo=BERLIN),
        datetime(2026, 11, 3, 12, 0, tzinfo=BERLIN),
        datetime(2026, 11, 3, 23, 59, 59, 999999, tzinfo=BERLIN),
    ):
        assert due_at(start=start, amount=14, unit=CAL, calendar=DE) == expected


def test_calendar_days_count_from_the_local_day_not_the_utc_day() -> None:
    # 23:30 UTC on Tue 3 Nov is already Wed 4 Nov 00:30 in Berlin ...
    start = datetime(2026, 11, 3, 23, 30, tzinfo=UTC)
    assert due_at(start=start, amount=1, unit=CAL, calendar=DE) == datetime(
        2026, 11, 5, 22, 59, 59, 999999, tzinfo=UTC
    )
    # ... and still Tue 3 Nov 18:30 in New York.
    assert due_at(start=start, amount=1, unit=CAL, calendar=US) == datetime(
        2026, 11, 5, 4, 59, 59, 999999, tzinfo=UTC
    )


def test_calendar_days_include_weekends_and_holidays() -> None:
    # Thu 24 Dec 2026 + 2 -> Sat 26 Dec, although 25 and 26 Dec are DE holidays.
    start = datetime(2026, 12, 24, 10, 0, tzinfo=BERLIN)
    assert due_at(start=start, amount=2, unit=CAL, calendar=DE) == datetime(
        2026, 12, 26, 22, 59, 59, 999999, tzinfo=UTC
    )


def test_calendar_days_end_on_the_berlin_spring_change_day_in_summer_time() -> None:
    # Sun 29 Mar 2026 is 23 hours long; its end is 23:59:59.999999 CEST = 21:59:59 UTC.
    start = datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN)
    assert due_at(start=start, amount=1, unit=CAL, calendar=DE) == datetime(
        2026, 3, 29, 21, 59, 59, 999999, tzinfo=UTC
    )


def test_calendar_days_across_the_berlin_spring_change() -> None:
    # Received Fri 20 Mar 2026 in CET, due Fri 3 Apr 2026 end of day in CEST.
    start = datetime(2026, 3, 20, 10, 0, tzinfo=BERLIN)
    assert due_at(start=start, amount=14, unit=CAL, calendar=DE) == datetime(
        2026, 4, 3, 21, 59, 59, 999999, tzinfo=UTC
    )


def test_calendar_days_across_the_berlin_autumn_change() -> None:
    # Sat 24 Oct ends at 23:59:59.999999 CEST; Sun 25 Oct (25 hours) at 23:59:59.999999 CET.
    assert due_at(
        start=datetime(2026, 10, 23, 10, 0, tzinfo=BERLIN), amount=1, unit=CAL, calendar=DE
    ) == datetime(2026, 10, 24, 21, 59, 59, 999999, tzinfo=UTC)
    assert due_at(
        start=datetime(2026, 10, 24, 10, 0, tzinfo=BERLIN), amount=1, unit=CAL, calendar=DE
    ) == datetime(2026, 10, 25, 22, 59, 59, 999999, tzinfo=UTC)
    # 14 days from Wed 21 Oct (CEST) -> Wed 4 Nov (CET).
    assert due_at(
        start=datetime(2026, 10, 21, 9, 0, tzinfo=BERLIN), amount=14, unit=CAL, calendar=DE
    ) == datetime(2026, 11, 4, 22, 59, 59, 999999, tzinfo=UTC)


def test_calendar_days_across_the_london_changes() -> None:
    # Spring: Sat 28 Mar 2026 12:00 GMT + 1 -> Sun 29 Mar 23:59:59.999999 BST.
    assert due_at(
        start=datetime(2026, 3, 28, 12, 0, tzinfo=LONDON), amount=1, unit=CAL, calendar=GB
    ) == datetime(2026, 3, 29, 22, 59, 59, 999999, tzinfo=UTC)
    # Autumn: Fri 23 Oct 2026 16:00 BST + 3 -> Mon 26 Oct 23:59:59.999999 GMT (= UTC).
    assert due_at(
        start=datetime(2026, 10, 23, 16, 0, tzinfo=LONDON), amount=3, unit=CAL, calendar=GB
    ) == datetime(2026, 10, 26, 23, 59, 59, 999999, tzinfo=UTC)


def test_calendar_days_across_the_new_york_autumn_change() -> None:
    # Sat 31 Oct 2026 09:00 EDT + 1 -> Sun 1 Nov 23:59:59.999999 EST = Mon 04:59:59 UTC.
    start = datetime(2026, 10, 31, 9, 0, tzinfo=NEW_YORK)
    assert due_at(start=start, amount=1, unit=CAL, calendar=US) == datetime(
        2026, 11, 2, 4, 59, 59, 999999, tzinfo=UTC
    )


def test_calendar_days_from_either_pass_of_the_repeated_new_york_hour() -> None:
    # 01:30 on Sun 1 Nov 2026 happens twice (EDT, then EST); both are the local day 1 Nov.
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)
    second = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK)
    assert first.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert second.astimezone(UTC) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    expected = datetime(2026, 11, 3, 4, 59, 59, 999999, tzinfo=UTC)  # Mon 2 Nov, EST
    assert due_at(start=first, amount=1, unit=CAL, calendar=US) == expected
    assert due_at(start=second, amount=1, unit=CAL, calendar=US) == expected


def test_calendar_days_across_the_new_york_spring_change() -> None:
    # Sat 7 Mar 2026 12:00 EST + 1 -> Sun 8 Mar 23:59:59.999999 EDT = Mon 03:59:59 UTC.
    start = datetime(2026, 3, 7, 12, 0, tzinfo=NEW_YORK)
    assert due_at(start=start, amount=1, unit=CAL, calendar=US) == datetime(
        2026, 3, 9, 3, 59, 59, 999999, tzinfo=UTC
    )


def test_calendar_days_end_after_the_second_pass_when_clocks_fall_back_at_midnight() -> None:
    # Santiago: at 24:00 -03 on Sat 4 Apr 2026 clocks go back to 23:00 -04, so 23:xx happens
    # twice. Sat 4 Apr ends at 23:59:59.999999 -04, i.e. 03:59:59.999999 UTC on 5 Apr.
    start = datetime(2026, 4, 3, 12, 0, tzinfo=SANTIAGO)
    assert due_at(start=start, amount=1, unit=CAL, calendar=SANTIAGO_WEEKENDS_ONLY) == datetime(
        2026, 4, 5, 3, 59, 59, 999999, tzinfo=UTC
    )


def test_calendar_days_end_correctly_when_midnight_is_skipped() -> None:
    # Santiago: at 24:00 -04 on Sat 5 Sep 2026 clocks jump to 01:00 -03 on Sun 6 Sep.
    start = datetime(2026, 9, 4, 12, 0, tzinfo=SANTIAGO)
    assert due_at(start=start, amount=1, unit=CAL, calendar=SANTIAGO_WEEKENDS_ONLY) == datetime(
        2026, 9, 6, 3, 59, 59, 999999, tzinfo=UTC
    )
    # Sun 6 Sep (23 hours long) ends at 23:59:59.999999 -03.
    assert due_at(start=start, amount=2, unit=CAL, calendar=SANTIAGO_WEEKENDS_ONLY) == datetime(
        2026, 9, 7, 2, 59, 59, 999999, tzinfo=UTC
    )


def test_calendar_days_across_a_month_end() -> None:
    # Sat 31 Jan 2026 + 1 -> Sun 1 Feb; Fri 30 Jan 2026 + 30 -> Sun 1 Mar (February has 28).
    assert due_at(
        start=datetime(2026, 1, 31, 10, 0, tzinfo=BERLIN), amount=1, unit=CAL, calendar=DE
    ) == datetime(2026, 2, 1, 22, 59, 59, 999999, tzinfo=UTC)
    assert due_at(
        start=datetime(2026, 1, 30, 10, 0, tzinfo=BERLIN), amount=30, unit=CAL, calendar=DE
    ) == datetime(2026, 3, 1, 22, 59, 59, 999999, tzinfo=UTC)


def test_calendar_days_count_the_leap_day_29_feb_2028() -> None:
    assert due_at(
        start=datetime(2028, 2, 28, 10, 0, tzinfo=BERLIN), amount=1, unit=CAL, calendar=DE
    ) == datetime(2028, 2, 29, 22, 59, 59, 999999, tzinfo=UTC)
    assert due_at(
        start=datetime(2028, 2, 15, 10, 0, tzinfo=BERLIN), amount=14, unit=CAL, calendar=DE
    ) == datetime(2028, 2, 29, 22, 59, 59, 999999, tzinfo=UTC)
    assert due_at(
        start=datetime(2028, 2, 16, 10, 0, tzinfo=BERLIN), amount=14, unit=CAL, calendar=DE
    ) == datetime(2028, 3, 1, 22, 59, 59, 999999, tzinfo=UTC)
    # 2027 is not a leap year: 28 Feb + 1 is 1 Mar.
    assert due_at(
        start=datetime(2027, 2, 28, 10, 0, tzinfo=BERLIN), amount=1, unit=CAL, calendar=DE
    ) == datetime(2027, 3, 1, 22, 59, 59, 999999, tzinfo=UTC)


def test_calendar_days_across_a_year_end() -> None:
    assert due_at(
        start=datetime(2026, 12, 31, 20, 0, tzinfo=BERLIN), amount=1, unit=CAL, calendar=DE
    ) == datetime(2027, 1, 1, 22, 59, 59, 999999, tzinfo=UTC)
    # 11:30 UTC on 31 Dec 2026 is already Fri 1 Jan 2027 00:30 in Auckland (NZDT, +13).
    assert due_at(
        start=datetime(2026, 12, 31, 11, 30, tzinfo=UTC),
        amount=1,
        unit=CAL,
        calendar=AUCKLAND_WEEKENDS_ONLY,
    ) == datetime(2027, 1, 2, 10, 59, 59, 999999, tzinfo=UTC)
