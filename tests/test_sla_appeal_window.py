"""Tests for appeals.sla: the period in which an appeal may be filed.

Expected values are literals worked out by hand; see tests/sla_common.py for the
offsets and clock changes they rely on."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from appeals.sla import appeal_window_last_day, is_within_appeal_window
from tests.sla_common import BERLIN, NEW_YORK

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
