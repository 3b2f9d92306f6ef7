"""Tests for appeals.sla: review deadlines, clock pauses and the appeal window.

Every expected value is a literal worked out by hand (weekday, holidays, UTC offset of
the day), never computed by the code under test. Offsets used below:
Europe/Berlin and Europe/Paris +01:00 (CET) / +02:00 (CEST); Europe/London +00:00 /
+01:00 (BST); America/New_York -05:00 (EST) / -04:00 (EDT); Pacific/Auckland +13:00
(NZDT, southern summer). In 2026 the EU and UK clocks change on Sun 29 Mar and
Sun 25 Oct, New York's on Sun 8 Mar and Sun 1 Nov.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appeals import sla
from appeals.sla import (
    Calendar,
    Unit,
    appeal_window_last_day,
    due_at,
    is_within_appeal_window,
    resume,
)

BERLIN = ZoneInfo("Europe/Berlin")
PARIS = ZoneInfo("Europe/Paris")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
AUCKLAND = ZoneInfo("Pacific/Auckland")
SANTIAGO = ZoneInfo("America/Santiago")

DE = Calendar(time_zone="Europe/Berlin", holiday_country="DE")
FR = Calendar(time_zone="Europe/Paris", holiday_country="FR")
GB = Calendar(time_zone="Europe/London", holiday_country="GB")
US = Calendar(time_zone="America/New_York", holiday_country="US")
BERLIN_WEEKENDS_ONLY = Calendar(time_zone="Europe/Berlin")
AUCKLAND_WEEKENDS_ONLY = Calendar(time_zone="Pacific/Auckland")
SANTIAGO_WEEKENDS_ONLY = Calendar(time_zone="America/Santiago")

CAL = Unit.CALENDAR_DAYS
BIZ = Unit.BUSINESS_DAYS
HOURS = Unit.HOURS

# The settings used by every property test: no example database on disk, and no
# per-example deadline (the first lookup of a year's holidays is slower than the rest).
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, database=None)


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


# --- Business days -------------------------------------------------------------------------


def test_business_days_never_count_the_day_of_receipt() -> None:
    # Mon 2 Nov 2026, at any time -> 1 business day is Tue 3 Nov.
    expected = datetime(2026, 11, 3, 22, 59, 59, 999999, tzinfo=UTC)
    for start in (
        datetime(2026, 11, 2, 0, 0, tzinfo=BERLIN),
        datetime(2026, 11, 2, 9, 0, tzinfo=BERLIN),
        datetime(2026, 11, 2, 23, 59, tzinfo=BERLIN),
    ):
        assert due_at(start=start, amount=1, unit=BIZ, calendar=DE) == expected


def test_business_days_skip_the_weekend_after_a_friday_evening_receipt() -> None:
    start = datetime(2026, 11, 6, 21, 0, tzinfo=BERLIN)  # Fri 6 Nov 2026, 21:00
    assert due_at(start=start, amount=1, unit=BIZ, calendar=DE) == datetime(
        2026, 11, 9, 22, 59, 59, 999999, tzinfo=UTC
    )  # Mon 9 Nov
    assert due_at(start=start, amount=2, unit=BIZ, calendar=DE) == datetime(
        2026, 11, 10, 22, 59, 59, 999999, tzinfo=UTC
    )  # Tue 10 Nov (the trusted-flagger default)


def test_business_days_after_a_saturday_or_sunday_receipt_start_on_monday() -> None:
    expected = datetime(2026, 11, 9, 22, 59, 59, 999999, tzinfo=UTC)  # Mon 9 Nov 2026
    for start in (
        datetime(2026, 11, 7, 12, 0, tzinfo=BERLIN),  # Saturday
        datetime(2026, 11, 8, 23, 59, tzinfo=BERLIN),  # Sunday
    ):
        assert due_at(start=start, amount=1, unit=BIZ, calendar=DE) == expected
        assert due_at(start=start, amount=1, unit=BIZ, calendar=BERLIN_WEEKENDS_ONLY) == expected


def test_business_days_after_a_receipt_on_a_holiday() -> None:
    # Fri 25 Dec 2026 (holiday) -> Sat, Sun, Mon 28 Dec is the first business day.
    start = datetime(2026, 12, 25, 15, 0, tzinfo=BERLIN)
    assert due_at(start=start, amount=1, unit=BIZ, calendar=DE) == datetime(
        2026, 12, 28, 22, 59, 59, 999999, tzinfo=UTC
    )


def test_business_days_count_from_the_local_day_of_receipt() -> None:
    # 23:30 UTC on Sun 8 Nov 2026 is Mon 9 Nov 00:30 in Berlin: Monday does not count.
    start = datetime(2026, 11, 8, 23, 30, tzinfo=UTC)
    assert due_at(start=start, amount=1, unit=BIZ, calendar=DE) == datetime(
        2026, 11, 10, 22, 59, 59, 999999, tzinfo=UTC
    )  # Tue 10 Nov
    # The same instant is still Sunday 18:30 in New York: Monday is the first business day.
    assert due_at(start=start, amount=1, unit=BIZ, calendar=US) == datetime(
        2026, 11, 10, 4, 59, 59, 999999, tzinfo=UTC
    )  # Mon 9 Nov 23:59:59.999999 EST


def test_business_days_skip_a_german_public_holiday() -> None:
    # Thu 2 Oct 2025 -> Fri 3 Oct is German Unity Day -> Mon 6 Oct (CEST).
    start = datetime(2025, 10, 2, 10, 0, tzinfo=BERLIN)
    assert due_at(start=start, amount=1, unit=BIZ, calendar=DE) == datetime(
        2025, 10, 6, 21, 59, 59, 999999, tzinfo=UTC
    )
    # Without a holiday calendar Fri 3 Oct counts.
    assert due_at(start=start, amount=1, unit=BIZ, calendar=BERLIN_WEEKENDS_ONLY) == datetime(
        2025, 10, 3, 21, 59, 59, 999999, tzinfo=UTC
    )


def test_business_days_skip_both_german_christmas_holidays() -> None:
    # Wed 24 Dec 2025 -> Thu 25 and Fri 26 Dec are holidays, then the weekend -> Mon 29 Dec.
    start = datetime(2025, 12, 24, 10, 0, tzinfo=BERLIN)
    assert due_at(start=start, amount=1, unit=BIZ, calendar=DE) == datetime(
        2025, 12, 29, 22, 59, 59, 999999, tzinfo=UTC
    )


def test_business_days_skip_the_german_easter_holidays() -> None:
    # Thu 2 Apr 2026 -> Good Friday 3 Apr, weekend, Easter Monday 6 Apr -> Tue 7 Apr (CEST).
    start = datetime(2026, 4, 2, 10, 0, tzinfo=BERLIN)
    assert due_at(start=start, amount=1, unit=BIZ, calendar=DE) == datetime(
        2026, 4, 7, 21, 59, 59, 999999, tzinfo=UTC
    )


def test_business_days_skip_bastille_day_in_france_but_not_in_germany() -> None:
    # Mon 13 Jul 2026 -> Tue 14 Jul is a French holiday -> Wed 15 Jul (CEST).
    start = datetime(2026, 7, 13, 10, 0, tzinfo=PARIS)
    assert due_at(start=start, amount=1, unit=BIZ, calendar=FR) == datetime(
        2026, 7, 15, 21, 59, 59, 999999, tzinfo=UTC
    )
    assert due_at(start=start, amount=1, unit=BIZ, calendar=DE) == datetime(
        2026, 7, 14, 21, 59, 59, 999999, tzinfo=UTC
    )


def test_business_days_skip_armistice_day_in_france() -> None:
    # Tue 10 Nov 2026 -> Wed 11 Nov is a French holiday -> Thu 12 Nov (CET).
    start = datetime(2026, 11, 10, 10, 0, tzinfo=PARIS)
    assert due_at(start=start, amount=1, unit=BIZ, calendar=FR) == datetime(
        2026, 11, 12, 22, 59, 59, 999999, tzinfo=UTC
    )


def test_business_days_skip_the_substitute_boxing_day_in_great_britain() -> None:
    # Thu 24 Dec 2026 -> Fri 25 Christmas, Sat 26 Boxing Day, Sun, Mon 28 Boxing Day
    # (substitute bank holiday) -> Tue 29 Dec 23:59:59.999999 GMT (= UTC).
    start = datetime(2026, 12, 24, 10, 0, tzinfo=LONDON)
    assert due_at(start=start, amount=1, unit=BIZ, calendar=GB) == datetime(
        2026, 12, 29, 23, 59, 59, 999999, tzinfo=UTC
    )
    # Germany has no substitute days: Mon 28 Dec counts there.
    assert due_at(start=start, amount=1, unit=BIZ, calendar=DE) == datetime(
        2026, 12, 28, 22, 59, 59, 999999, tzinfo=UTC
    )


def test_business_days_skip_christmas_and_boxing_day_on_weekdays_in_great_britain() -> None:
    # Wed 24 Dec 2025 -> Thu 25 and Fri 26 Dec are bank holidays -> Mon 29 Dec.
    start = datetime(2025, 12, 24, 10, 0, tzinfo=LONDON)
    assert due_at(start=start, amount=1, unit=BIZ, calendar=GB) == datetime(
        2025, 12, 29, 23, 59, 59, 999999, tzinfo=UTC
    )


def test_business_days_skip_british_may_bank_holidays() -> None:
    # Fri 1 May 2026 -> Mon 4 May is the Early May bank holiday -> Tue 5 May (BST).
    assert due_at(
        start=datetime(2026, 5, 1, 10, 0, tzinfo=LONDON), amount=1, unit=BIZ, calendar=GB
    ) == datetime(2026, 5, 5, 22, 59, 59, 999999, tzinfo=UTC)
    # Fri 22 May 2026 -> Mon 25 May is the Spring bank holiday -> Tue 26 May.
    assert due_at(
        start=datetime(2026, 5, 22, 10, 0, tzinfo=LONDON), amount=1, unit=BIZ, calendar=GB
    ) == datetime(2026, 5, 26, 22, 59, 59, 999999, tzinfo=UTC)


def test_business_days_skip_us_thanksgiving() -> None:
    # Wed 25 Nov 2026 -> Thu 26 Nov is Thanksgiving -> Fri 27 Nov, then Mon 30 Nov (EST).
    start = datetime(2026, 11, 25, 10, 0, tzinfo=NEW_YORK)
    assert due_at(start=start, amount=1, unit=BIZ, calendar=US) == datetime(
        2026, 11, 28, 4, 59, 59, 999999, tzinfo=UTC
    )
    assert due_at(start=start, amount=2, unit=BIZ, calendar=US) == datetime(
        2026, 12, 1, 4, 59, 59, 999999, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("calendar", "expected"),
    [
        # Berlin: Tue 13:00 -> Wed 11 Nov, end of day CET.
        (DE, datetime(2026, 11, 11, 22, 59, 59, 999999, tzinfo=UTC)),
        # Paris: Wed 11 Nov is Armistice Day -> Thu 12 Nov.
        (FR, datetime(2026, 11, 12, 22, 59, 59, 999999, tzinfo=UTC)),
        # London: Wed 11 Nov is not a bank holiday; end of day GMT.
        (GB, datetime(2026, 11, 11, 23, 59, 59, 999999, tzinfo=UTC)),
        # New York: Wed 11 Nov is Veterans Day -> Thu 12 Nov, end of day EST.
        (US, datetime(2026, 11, 13, 4, 59, 59, 999999, tzinfo=UTC)),
        # Auckland: already Wed 11 Nov 01:00 NZDT on receipt -> Thu 12 Nov.
        (AUCKLAND_WEEKENDS_ONLY, datetime(2026, 11, 12, 10, 59, 59, 999999, tzinfo=UTC)),
    ],
    ids=["DE", "FR", "GB", "US", "NZ-no-holidays"],
)
def test_jurisdictions_give_different_due_times_for_the_same_receipt(
    calendar: Calendar, expected: datetime
) -> None:
    start = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)  # Tue 10 Nov 2026, noon UTC
    assert due_at(start=start, amount=1, unit=BIZ, calendar=calendar) == expected


def test_business_days_across_the_year_end_in_germany() -> None:
    # Thu 24 Dec 2026 + 5: Mon 28 (1), Tue 29 (2), Wed 30 (3), Thu 31 (4), New Year's Day
    # Fri 1 Jan 2027, weekend, Mon 4 Jan 2027 (5).
    start = datetime(2026, 12, 24, 10, 0, tzinfo=BERLIN)
    assert due_at(start=start, amount=5, unit=BIZ, calendar=DE) == datetime(
        2027, 1, 4, 22, 59, 59, 999999, tzinfo=UTC
    )
    # Weekends only: Fri 25 (1), Mon 28 (2), Tue 29 (3), Wed 30 (4), Thu 31 Dec (5).
    assert due_at(start=start, amount=5, unit=BIZ, calendar=BERLIN_WEEKENDS_ONLY) == datetime(
        2026, 12, 31, 22, 59, 59, 999999, tzinfo=UTC
    )


def test_business_days_load_the_next_years_holidays() -> None:
    # Thu 31 Dec 2026 -> Fri 1 Jan 2027 is a holiday of 2027 -> Mon 4 Jan 2027.
    start = datetime(2026, 12, 31, 10, 0, tzinfo=BERLIN)
    assert due_at(start=start, amount=1, unit=BIZ, calendar=DE) == datetime(
        2027, 1, 4, 22, 59, 59, 999999, tzinfo=UTC
    )
    # GB: Wed 30 Dec 2026 + 2 -> Thu 31 Dec (1), Fri 1 Jan holiday, Mon 4 Jan 2027 (2).
    start = datetime(2026, 12, 30, 10, 0, tzinfo=LONDON)
    assert due_at(start=start, amount=2, unit=BIZ, calendar=GB) == datetime(
        2027, 1, 4, 23, 59, 59, 999999, tzinfo=UTC
    )


def test_business_days_skip_us_observed_holidays_around_new_year_2028() -> None:
    # Christmas 2027 is a Saturday (observed Fri 24 Dec); New Year's Day 2028 is a Saturday
    # (observed Fri 31 Dec 2027).
    assert due_at(
        start=datetime(2027, 12, 23, 10, 0, tzinfo=NEW_YORK), amount=1, unit=BIZ, calendar=US
    ) == datetime(2027, 12, 28, 4, 59, 59, 999999, tzinfo=UTC)  # Mon 27 Dec, EST
    assert due_at(
        start=datetime(2027, 12, 30, 10, 0, tzinfo=NEW_YORK), amount=1, unit=BIZ, calendar=US
    ) == datetime(2028, 1, 4, 4, 59, 59, 999999, tzinfo=UTC)  # Mon 3 Jan 2028, EST


def test_business_days_across_the_berlin_clock_changes() -> None:
    # Fri 23 Oct 2026 (CEST) -> Mon 26 Oct, after the change: end of day CET.
    assert due_at(
        start=datetime(2026, 10, 23, 10, 0, tzinfo=BERLIN), amount=1, unit=BIZ, calendar=DE
    ) == datetime(2026, 10, 26, 22, 59, 59, 999999, tzinfo=UTC)
    # Fri 27 Mar 2026 (CET) -> Mon 30 Mar, after the change: end of day CEST.
    assert due_at(
        start=datetime(2026, 3, 27, 10, 0, tzinfo=BERLIN), amount=1, unit=BIZ, calendar=DE
    ) == datetime(2026, 3, 30, 21, 59, 59, 999999, tzinfo=UTC)


def test_business_days_across_the_new_york_autumn_change() -> None:
    # Fri 30 Oct 2026 (EDT) -> Mon 2 Nov, end of day EST.
    start = datetime(2026, 10, 30, 16, 0, tzinfo=NEW_YORK)
    assert due_at(start=start, amount=1, unit=BIZ, calendar=US) == datetime(
        2026, 11, 3, 4, 59, 59, 999999, tzinfo=UTC
    )


def test_business_days_across_a_month_end_and_the_leap_day() -> None:
    # Fri 30 Jan 2026 -> Mon 2 Feb.
    assert due_at(
        start=datetime(2026, 1, 30, 10, 0, tzinfo=BERLIN), amount=1, unit=BIZ, calendar=DE
    ) == datetime(2026, 2, 2, 22, 59, 59, 999999, tzinfo=UTC)
    # Mon 28 Feb 2028 -> Tue 29 Feb 2028.
    assert due_at(
        start=datetime(2028, 2, 28, 10, 0, tzinfo=BERLIN), amount=1, unit=BIZ, calendar=DE
    ) == datetime(2028, 2, 29, 22, 59, 59, 999999, tzinfo=UTC)
    # Fri 25 Feb 2028 + 3 -> Mon 28 (1), Tue 29 (2), Wed 1 Mar (3).
    assert due_at(
        start=datetime(2028, 2, 25, 10, 0, tzinfo=BERLIN), amount=3, unit=BIZ, calendar=DE
    ) == datetime(2028, 3, 1, 22, 59, 59, 999999, tzinfo=UTC)


# --- Hours ---------------------------------------------------------------------------------


def test_48_hours_across_the_berlin_autumn_change_are_48_elapsed_hours() -> None:
    # Sat 24 Oct 2026 12:00 CEST (10:00 UTC) + 48 h -> Mon 26 Oct 10:00 UTC, which the
    # Berlin wall clock shows as 11:00 CET, not 12:00.
    start = datetime(2026, 10, 24, 12, 0, tzinfo=BERLIN)
    result = due_at(start=start, amount=48, unit=HOURS, calendar=DE)
    assert result == datetime(2026, 10, 26, 10, 0, tzinfo=UTC)
    assert result.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 10, 26, 11, 0)


def test_48_hours_across_the_berlin_spring_change_are_48_elapsed_hours() -> None:
    # Sat 28 Mar 2026 12:00 CET (11:00 UTC) + 48 h -> Mon 30 Mar 11:00 UTC = 13:00 CEST.
    start = datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN)
    result = due_at(start=start, amount=48, unit=HOURS, calendar=DE)
    assert result == datetime(2026, 3, 30, 11, 0, tzinfo=UTC)
    assert result.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 3, 30, 13, 0)


def test_72_hours_across_the_new_york_autumn_change_are_72_elapsed_hours() -> None:
    # Fri 30 Oct 2026 20:00 EDT (Sat 00:00 UTC) + 72 h -> Tue 3 Nov 00:00 UTC,
    # which is Mon 2 Nov 19:00 EST on the wall clock (not 20:00).
    start = datetime(2026, 10, 30, 20, 0, tzinfo=NEW_YORK)
    result = due_at(start=start, amount=72, unit=HOURS, calendar=US)
    assert result == datetime(2026, 11, 3, 0, 0, tzinfo=UTC)
    assert result.astimezone(NEW_YORK).replace(tzinfo=None) == datetime(2026, 11, 2, 19, 0)


def test_hours_ignore_weekends_and_holidays() -> None:
    # Thu 24 Dec 2026 10:00 CET (09:00 UTC) + 72 h -> Sun 27 Dec 09:00 UTC.
    start = datetime(2026, 12, 24, 10, 0, tzinfo=BERLIN)
    assert due_at(start=start, amount=72, unit=HOURS, calendar=DE) == datetime(
        2026, 12, 27, 9, 0, tzinfo=UTC
    )


def test_hours_keep_minutes_seconds_and_microseconds() -> None:
    start = datetime(2026, 2, 28, 23, 59, 59, 123456, tzinfo=UTC)
    assert due_at(start=start, amount=24, unit=HOURS, calendar=DE) == datetime(
        2026, 3, 1, 23, 59, 59, 123456, tzinfo=UTC
    )


def test_hours_cross_the_leap_day() -> None:
    start = datetime(2028, 2, 28, 12, 0, tzinfo=UTC)
    assert due_at(start=start, amount=48, unit=HOURS, calendar=DE) == datetime(
        2028, 3, 1, 12, 0, tzinfo=UTC
    )


def test_hours_do_not_depend_on_the_calendar() -> None:
    start = datetime(2026, 11, 6, 18, 45, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    expected = datetime(2026, 11, 8, 13, 15, tzinfo=UTC)  # 13:15 UTC Fri + 48 h
    for calendar in (DE, FR, GB, US, AUCKLAND_WEEKENDS_ONLY):
        assert due_at(start=start, amount=48, unit=HOURS, calendar=calendar) == expected


# --- Pause and resume ----------------------------------------------------------------------


def test_a_three_day_pause_moves_the_due_time_by_exactly_three_days() -> None:
    due = datetime(2026, 11, 17, 22, 59, 59, 999999, tzinfo=UTC)
    result = resume(
        due_at=due,
        paused_at=datetime(2026, 11, 5, 9, 0, tzinfo=UTC),
        resumed_at=datetime(2026, 11, 8, 9, 0, tzinfo=UTC),
    )
    assert result == datetime(2026, 11, 20, 22, 59, 59, 999999, tzinfo=UTC)
    assert result.tzinfo is UTC


def test_a_pause_across_the_autumn_change_counts_its_elapsed_length() -> None:
    # 12:00 CEST Sat 24 Oct to 12:00 CET Mon 26 Oct 2026 is 49 elapsed hours, though the
    # wall clock says 48.
    due = datetime(2026, 11, 1, 22, 59, 59, 999999, tzinfo=UTC)
    result = resume(
        due_at=due,
        paused_at=datetime(2026, 10, 24, 12, 0, tzinfo=BERLIN),
        resumed_at=datetime(2026, 10, 26, 12, 0, tzinfo=BERLIN),
    )
    assert result == datetime(2026, 11, 3, 23, 59, 59, 999999, tzinfo=UTC)


def test_a_pause_inside_the_repeated_hour_counts_its_elapsed_length() -> None:
    # Paused 01:30 EDT (05:30 UTC), resumed 01:10 EST (06:10 UTC) on Sun 1 Nov 2026: the
    # wall clock went backwards, but 40 minutes passed.
    due = datetime(2026, 11, 10, 4, 59, 59, 999999, tzinfo=UTC)
    result = resume(
        due_at=due,
        paused_at=datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK),
        resumed_at=datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NEW_YORK),
    )
    assert result == datetime(2026, 11, 10, 5, 39, 59, 999999, tzinfo=UTC)


def test_resume_accepts_times_in_different_zones_and_returns_utc() -> None:
    # Paused 10:00 Berlin (09:00 UTC), resumed 14:30 UTC: 5 h 30 min.
    result = resume(
        due_at=datetime(2026, 11, 17, 23, 59, 59, 999999, tzinfo=BERLIN),
        paused_at=datetime(2026, 11, 5, 10, 0, tzinfo=BERLIN),
        resumed_at=datetime(2026, 11, 5, 14, 30, tzinfo=UTC),
    )
    assert result == datetime(2026, 11, 18, 4, 29, 59, 999999, tzinfo=UTC)
    assert result.tzinfo is UTC


def test_resume_without_elapsed_time_leaves_the_due_time_unchanged() -> None:
    due = datetime(2026, 11, 17, 22, 59, 59, 999999, tzinfo=UTC)
    moment = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
    assert resume(due_at=due, paused_at=moment, resumed_at=moment) == due


def test_resumed_before_paused_raises() -> None:
    due = datetime(2026, 11, 17, 22, 59, 59, 999999, tzinfo=UTC)
    with pytest.raises(ValueError, match="before"):
        resume(
            due_at=due,
            paused_at=datetime(2026, 11, 8, 9, 0, tzinfo=UTC),
            resumed_at=datetime(2026, 11, 5, 9, 0, tzinfo=UTC),
        )
    with pytest.raises(ValueError, match="before"):
        resume(
            due_at=due,
            paused_at=datetime(2026, 11, 8, 9, 0, tzinfo=UTC),
            resumed_at=datetime(2026, 11, 8, 8, 59, 59, 999999, tzinfo=UTC),
        )


def test_resumed_before_paused_raises_when_the_wall_clock_suggests_otherwise() -> None:
    # Sun 1 Nov 2026: paused 01:10 EST (06:10 UTC), resumed 01:30 EDT (05:30 UTC) is
    # 40 minutes *earlier*, although 01:30 is after 01:10 on the wall clock.
    with pytest.raises(ValueError, match="before"):
        resume(
            due_at=datetime(2026, 11, 10, 4, 59, 59, 999999, tzinfo=UTC),
            paused_at=datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NEW_YORK),
            resumed_at=datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK),
        )


@pytest.mark.parametrize("naive", ["due_at", "paused_at", "resumed_at"])
def test_resume_with_a_naive_datetime_raises(naive: str) -> None:
    kwargs = {
        "due_at": datetime(2026, 11, 17, 22, 59, 59, 999999, tzinfo=UTC),
        "paused_at": datetime(2026, 11, 5, 9, 0, tzinfo=UTC),
        "resumed_at": datetime(2026, 11, 8, 9, 0, tzinfo=UTC),
    }
    kwargs[naive] = kwargs[naive].replace(tzinfo=None)
    with pytest.raises(ValueError, match=naive):
        resume(**kwargs)


# --- Appeal window -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("informed_on", "months", "last_day"),
    [
        (date(2026, 3, 15), 6, date(2026, 9, 15)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # clamped: 2027 is not a leap year
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # clamped to the leap day
        (date(2027, 8, 29), 6, date(2028, 2, 29)),
        (date(2027, 8, 30), 6, date(2028, 2, 29)),
        (date(2026, 3, 31), 6, date(2026, 9, 30)),
        (date(2026, 12, 31), 6, date(2027, 6, 30)),  # across the year end
        (date(2026, 6, 30), 6, date(2026, 12, 30)),  # not pushed to the month's end
        (date(2027, 2, 28), 6, date(2027, 8, 28)),  # likewise
        (date(2027, 7, 31), 7, date(2028, 2, 29)),
        (date(2027, 1, 31), 13, date(2028, 2, 29)),  # 31 Jan + (12 + 1) months
        (date(2026, 1, 31), 13, date(2027, 2, 28)),
        (date(2028, 2, 29), 6, date(2028, 8, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 11, 3), 24, date(2028, 11, 3)),
    ],
)
def test_appeal_window_last_day(informed_on: date, months: int, last_day: date) -> None:
    assert appeal_window_last_day(informed_on=informed_on, months=months) == last_day


@pytest.mark.parametrize("months", [5, 1, 0, -6])
def test_appeal_window_shorter_than_six_months_raises(months: int) -> None:
    with pytest.raises(ValueError, match="at least 6 months"):
        appeal_window_last_day(informed_on=date(2026, 1, 31), months=months)
    with pytest.raises(ValueError, match="at least 6 months"):
        is_within_appeal_window(
            informed_on=date(2026, 1, 31),
            months=months,
            filed_at=datetime(2026, 2, 1, 12, 0, tzinfo=UTC),
            time_zone="Europe/Berlin",
        )


def test_appeal_window_rejects_a_datetime_or_bool_argument() -> None:
    with pytest.raises(TypeError):
        appeal_window_last_day(informed_on=datetime(2026, 8, 31, 12, 0, tzinfo=UTC), months=6)
    with pytest.raises(TypeError):
        appeal_window_last_day(informed_on=date(2026, 8, 31), months=True)


def test_a_filing_at_23_30_new_york_time_on_the_last_day_is_within_the_window() -> None:
    # Informed 31 Aug 2026 -> last day Sun 28 Feb 2027. 23:30 EST on 28 Feb is already
    # 04:30 UTC on 1 Mar, but the jurisdiction's local date decides.
    filed_at = datetime(2027, 3, 1, 4, 30, tzinfo=UTC)
    assert is_within_appeal_window(
        informed_on=date(2026, 8, 31), months=6, filed_at=filed_at, time_zone="America/New_York"
    )
    assert is_within_appeal_window(
        informed_on=date(2026, 8, 31),
        months=6,
        filed_at=datetime(2027, 2, 28, 23, 59, 59, 999999, tzinfo=NEW_YORK),
        time_zone="America/New_York",
    )


def test_a_filing_at_new_york_midnight_after_the_last_day_is_late() -> None:
    # 05:00 UTC on 1 Mar 2027 is 00:00 EST on 1 Mar: one day too late.
    assert not is_within_appeal_window(
        informed_on=date(2026, 8, 31),
        months=6,
        filed_at=datetime(2027, 3, 1, 5, 0, tzinfo=UTC),
        time_zone="America/New_York",
    )


def test_a_filing_in_auckland_after_local_midnight_is_late_although_utc_is_still_in_time() -> None:
    # 11:30 UTC on 28 Feb 2027 is Mon 1 Mar 00:30 NZDT: late in New Zealand.
    assert not is_within_appeal_window(
        informed_on=date(2026, 8, 31),
        months=6,
        filed_at=datetime(2027, 2, 28, 11, 30, tzinfo=UTC),
        time_zone="Pacific/Auckland",
    )
    # 10:30 UTC on 28 Feb 2027 is 23:30 NZDT on 28 Feb: still in time.
    assert is_within_appeal_window(
        informed_on=date(2026, 8, 31),
        months=6,
        filed_at=datetime(2027, 2, 28, 10, 30, tzinfo=UTC),
        time_zone="Pacific/Auckland",
    )


@pytest.mark.parametrize(
    ("time_zone", "within"),
    [
        ("America/New_York", True),  # 23:30 on 28 Feb
        ("America/Los_Angeles", True),  # 20:30 on 28 Feb
        ("UTC", False),  # 04:30 on 1 Mar
        ("Europe/Berlin", False),  # 05:30 on 1 Mar
        ("Pacific/Auckland", False),  # 17:30 on 1 Mar
    ],
)
def test_the_same_filing_instant_is_in_time_or_late_depending_on_the_jurisdiction(
    time_zone: str, within: bool
) -> None:
    filed_at = datetime(2027, 3, 1, 4, 30, tzinfo=UTC)
    assert (
        is_within_appeal_window(
            informed_on=date(2026, 8, 31), months=6, filed_at=filed_at, time_zone=time_zone
        )
        is within
    )


def test_a_filing_on_the_leap_day_last_day_is_within_the_window() -> None:
    informed_on = date(2027, 8, 31)  # last day Tue 29 Feb 2028
    assert is_within_appeal_window(
        informed_on=informed_on,
        months=6,
        filed_at=datetime(2028, 2, 29, 23, 30, tzinfo=BERLIN),
        time_zone="Europe/Berlin",
    )
    assert not is_within_appeal_window(
        informed_on=informed_on,
        months=6,
        filed_at=datetime(2028, 3, 1, 0, 0, 1, tzinfo=BERLIN),
        time_zone="Europe/Berlin",
    )


def test_a_filing_on_the_day_of_informing_is_within_the_window() -> None:
    assert is_within_appeal_window(
        informed_on=date(2026, 11, 3),
        months=6,
        filed_at=datetime(2026, 11, 3, 0, 0, tzinfo=BERLIN),
        time_zone="Europe/Berlin",
    )


def test_a_filing_a_year_later_is_outside_a_six_month_window() -> None:
    assert not is_within_appeal_window(
        informed_on=date(2026, 11, 3),
        months=6,
        filed_at=datetime(2027, 11, 3, 12, 0, tzinfo=BERLIN),
        time_zone="Europe/Berlin",
    )
    # ... but inside a twelve-month one (the last day is 3 Nov 2027).
    assert is_within_appeal_window(
        informed_on=date(2026, 11, 3),
        months=12,
        filed_at=datetime(2027, 11, 3, 12, 0, tzinfo=BERLIN),
        time_zone="Europe/Berlin",
    )


def test_informed_on_in_the_future_is_not_late() -> None:
    assert is_within_appeal_window(
        informed_on=date(2027, 1, 1),
        months=6,
        filed_at=datetime(2026, 11, 3, 12, 0, tzinfo=BERLIN),
        time_zone="Europe/Berlin",
    )
    # Future relative to the local date (2 Nov 20:00 in New York), not the UTC date.
    assert is_within_appeal_window(
        informed_on=date(2026, 11, 3),
        months=6,
        filed_at=datetime(2026, 11, 3, 1, 0, tzinfo=UTC),
        time_zone="America/New_York",
    )


def test_appeal_window_with_a_naive_filing_time_raises() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        is_within_appeal_window(
            informed_on=date(2026, 8, 31),
            months=6,
            filed_at=datetime(2027, 2, 28, 23, 30),
            time_zone="America/New_York",
        )


def test_appeal_window_with_an_unknown_time_zone_raises() -> None:
    with pytest.raises(ValueError, match="Atlantis"):
        is_within_appeal_window(
            informed_on=date(2026, 8, 31),
            months=6,
            filed_at=datetime(2027, 2, 28, 23, 30, tzinfo=UTC),
            time_zone="Atlantis/Capital",
        )


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
