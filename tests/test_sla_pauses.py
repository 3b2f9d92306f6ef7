"""Tests for appeals.sla: pausing and resuming the review clock.

Expected values are literals worked out by hand; see tests/sla_common.py for the
offsets and clock changes they rely on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from appeals.sla import resume
from tests.sla_common import BERLIN, NEW_YORK

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
