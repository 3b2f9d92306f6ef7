"""Paging cursors and dates from the address bar, forms and the API (issue 18,
finding 9): parsed strictly and bounded, refused in the page or with a JSON 400,
never a 500. tests/test_hostile_everywhere.py sweeps every URL with the same values."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.urls import reverse

from appeals.models import AuditAction, AuditEvent, Retraction, TransparencyReport, User
from appeals.paging import BIGINT_MAX, id_cursor
from appeals.roles import Role
from appeals.selectors.queue import Cursor
from appeals.selectors.statistics import Period
from appeals.services.decisions import appeal_decide
from appeals.services.platform_api import platform_token_issue
from tests.conftest import sign_in
from tests.factories import chirp, claimed_appeal, decision_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(make_user: Callable[..., User]) -> Client:
    auditor = make_user("aud@example.org", roles=(Role.AUDITOR,), mfa=True)
    return sign_in(Client(), auditor, with_mfa=True)


@pytest.fixture
def key() -> str:
    return platform_token_issue(platform=chirp(), name="tests", by=None)[0]


def _api(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.mark.parametrize(
    "raw", ["\u00b2", "\u0663", "\uff11", " 1", "1 ", "1_0", "-1", "+1", "1.0", "", str(2**63)]
)
def test_an_id_cursor_is_ascii_digits_within_a_bigint(raw: str) -> None:
    assert id_cursor(raw) is None


def test_an_id_cursor_takes_every_id_a_column_can_hold() -> None:
    assert id_cursor("0") == 0 and id_cursor(str(BIGINT_MAX)) == BIGINT_MAX


def test_a_queue_cursor_survives_the_address_bar_exactly() -> None:
    cursor = Cursor(datetime(2026, 11, 2, 9, 0, 0, 123457, tzinfo=UTC), 1, 42)
    assert Cursor.decode(cursor.encode()) == cursor


@pytest.mark.parametrize(
    "raw",
    [
        "1790000000.000000_\u00b2_1",
        "1790000000.000000_1_\u00b2",
        "\u0661790000000.000000_1_1",
        "nan_1_1",
        "1e308_1_1",
        "-5.000000_1_1",
        "1790000000.000000_99999_1",
        f"1790000000.000000_1_{2**63}",
        "999999999999.000000_1_1",
        "1790000000_1_1",
    ],
)
def test_a_queue_cursor_from_anything_else_means_the_first_page(raw: str) -> None:
    assert Cursor.decode(raw) is None


def test_after_in_superscript_digits_is_a_json_400_on_the_api(key: str) -> None:
    response = _api(key).get(reverse("api_appeals"), {"after": "\u00b2"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("after must be")
    assert _api(key).get(reverse("api_appeals"), {"after": "0"}).status_code == 200


def test_before_in_superscript_digits_shows_the_first_page_of_the_trail(
    auditor_client: Client,
) -> None:
    response = auditor_client.get(reverse("audit_trail"), {"before": "\u00b2"})
    assert response.status_code == 200 and response.context["events"]


@pytest.mark.parametrize(("field", "value"), [("until", "9999-12-31"), ("since", "0001-01-01")])
def test_a_day_at_the_end_of_the_calendar_is_refused_in_the_audit_page(
    auditor_client: Client, field: str, value: str
) -> None:
    response = auditor_client.get(reverse("audit_trail"), {field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a date between 1 January 2000 and 31 December 2100." in page
    assert f'value="{value}"' in page  # what was typed is kept
    assert response.context["events"] == []  # not the unfiltered trail


def test_the_export_refuses_a_filter_at_the_end_of_the_calendar_and_records_no_export(
    auditor_client: Client,
) -> None:
    response = auditor_client.get(reverse("audit_export"), {"until": "9999-12-31"})
    assert response.status_code == 400
    assert "Enter a date between" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_EXPORTED).exists()
    fine = auditor_client.get(reverse("audit_export"), {"until": "2100-12-31"})
    assert fine.status_code == 200 and b"".join(fine.streaming_content)


def test_the_audit_filter_refuses_an_end_before_its_start(auditor_client: Client) -> None:
    response = auditor_client.get(
        reverse("audit_trail"), {"since": "2026-11-02", "until": "2026-11-01"}
    )
    assert response.status_code == 400
    assert "The last day must be on or after the first day." in response.content.decode()


def test_a_report_period_ending_9999_12_31_is_refused_beside_the_field(
    auditor_client: Client,
) -> None:
    response = auditor_client.post(
        reverse("audit_request_report"), {"start": "2026-01-01", "end": "9999-12-31"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a date between 1 January 2000 and 31 December 2100." in page
    assert 'value="9999-12-31"' in page and 'value="2026-01-01"' in page
    assert not TransparencyReport.objects.exists()
    auditor_client.post(
        reverse("audit_request_report"), {"start": "2026-01-01", "end": "2100-12-31"}
    )
    assert TransparencyReport.objects.get().period_end == date(2101, 1, 1)


@pytest.mark.parametrize("done_at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_done_at_at_the_end_of_the_calendar_with_an_offset_is_a_clear_json_400(
    key: str, appellant: User, reviewer: User, done_at: str
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    order = Retraction.objects.get(appeal=appeal)
    response = _api(key).post(
        reverse("api_confirm", args=[order.pk]),
        json.dumps({"proof": "Reinstated.", "done_at": done_at}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith(
        "done_at must be an ISO 8601 date-time with a time zone"
    )
    assert Retraction.objects.get(pk=order.pk).status == order.status


def test_a_period_in_fullwidth_digits_means_the_current_quarter() -> None:
    today = date(2026, 11, 26)
    assert Period.parse("\uff12\uff10\uff12\uff16", today=today).label == "2026-Q4"
