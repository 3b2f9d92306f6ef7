"""Tests for appeals.sla: deadlines counted in business days and in hours.

Expected values are literals worked out by hand; see tests/sla_common.py for the
offsets and clock changes they rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from appeals.sla import Calendar, due_at
from tests.sla_common import (
    AUCKLAND_WEEKENDS_ONLY,
    BERLIN,
    BERLIN_WEEKENDS_ONLY,
    BIZ,
    DE,
    FR,
    GB,
    HOURS,
    LONDON,
    NEW_YORK,
    PARIS,
    US,
)

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
