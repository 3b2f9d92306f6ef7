"""Staff sessions end after 30 minutes idle and 12 hours in all (issue 18, finding 11);
the idle clock costs at most one session write a minute; other sessions are untouched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse

from appeals.models import User
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _staff_page(client: Client) -> int:
    return client.get(reverse("staff_home")).status_code


def _stored_session(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_staff_session_ends_after_30_minutes_without_a_request(
    client: Client, reviewer: User
) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, reviewer, with_mfa=True)
        assert _staff_page(client) == 200
        clock.shift(timedelta(minutes=29))
        assert _staff_page(client) == 200
        clock.shift(timedelta(minutes=29))  # 29 minutes after the last request
        assert _staff_page(client) == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("staff_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_the_idle_limit_holds_in_the_stored_session_too(client: Client, reviewer: User) -> None:
    """Even without the middleware's check, the stored session lapses: its expiry
    date is moved on with the idle clock."""
    with time_machine.travel(T0, tick=False):
        sign_in(client, reviewer, with_mfa=True)
        _staff_page(client)
        stored = _stored_session(client)
    assert stored.expire_date <= T0 + timedelta(minutes=30)


def test_a_staff_session_ends_after_12_hours_however_busy(client: Client, reviewer: User) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, reviewer, with_mfa=True)
        assert _staff_page(client) == 200
        for _ in range(11 * 4 + 3):  # a request every 15 minutes, 11 h 45 in all
            clock.shift(timedelta(minutes=15))
            assert _staff_page(client) == 200
        clock.shift(timedelta(minutes=15))
        response = client.get(reverse("staff_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_idle_clock_is_written_at_most_once_a_minute(client: Client, reviewer: User) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, reviewer, with_mfa=True)
        _staff_page(client)
        first = _stored_session(client)
        clock.shift(timedelta(seconds=20))
        _staff_page(client)
        clock.shift(timedelta(seconds=20))
        _staff_page(client)
        unchanged = _stored_session(client)
        assert (unchanged.session_data, unchanged.expire_date) == (
            first.session_data,
            first.expire_date,
        )
        clock.shift(timedelta(seconds=25))  # 65 s after the last write
        _staff_page(client)
        later = _stored_session(client)
    assert later.session_data != first.session_data
    assert later.expire_date == T0 + timedelta(seconds=65) + timedelta(minutes=30)


@override_settings(STAFF_SESSION_IDLE_SECONDS=600, STAFF_SESSION_MAX_SECONDS=3600)
def test_the_limits_are_settings(client: Client, reviewer: User) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, reviewer, with_mfa=True)
        assert _staff_page(client) == 200
        clock.shift(timedelta(minutes=11))
        assert _staff_page(client) == 302


def test_signing_in_again_starts_the_clocks_again(client: Client, reviewer: User) -> None:
    """Django keeps the session's data when the same person signs in again."""
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, reviewer, with_mfa=True)
        _staff_page(client)
        clock.shift(timedelta(minutes=10))
        sign_in(client, reviewer, with_mfa=True)
        _staff_page(client)
        assert client.session["portal_staff_started"] == T0.timestamp() + 600


def test_an_appellants_session_keeps_its_two_weeks(client: Client, appellant: User) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, appellant)
        assert client.get(reverse("my_cases")).status_code == 200
        clock.shift(timedelta(hours=13))
        assert client.get(reverse("my_cases")).status_code == 200
        assert "portal_staff_seen" not in client.session
