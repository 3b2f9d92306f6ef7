"""The supervisors' escalations page: every kind, each linked to its own staff page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appeals.models import (
    Appeal,
    AuditAction,
    AuditEvent,
    Escalation,
    Jurisdiction,
    Platform,
    User,
)
from appeals.selectors.escalations import (
    ESCALATION_PAGE_SIZE,
    EscalationCursor,
    escalations_open,
)
from appeals.services.reports import Location, ReportSubmission, report_file
from tests.conftest import sign_in
from tests.factories import file_appeal

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor_client() -> Client:
    call_command("seed_demo", verbosity=0)
    return sign_in(Client(), User.objects.get(email="supervisor@example.org"), with_mfa=True)


def _supervisor() -> User:
    return User.objects.get(email="supervisor@example.org")


def _open(kind: str) -> Escalation:
    return Escalation.objects.filter(kind=kind, handled_at__isnull=True).first()  # type: ignore[return-value]


def test_every_kind_of_escalation_is_listed_with_a_link_to_its_own_staff_page(
    supervisor_client: Client,
) -> None:
    response = supervisor_client.get(reverse("supervisor_deadlines"))
    assert response.status_code == 200
    page = response.content.decode()
    for kind, label in Escalation.Kind.choices:
        assert _open(kind) is not None, f"the demo has no open {kind} escalation"
        assert str(label) in page, kind
    threat = _open(Escalation.Kind.THREAT_TO_LIFE)
    referral = _open(Escalation.Kind.REFERRAL_OVERDUE)
    for report in (threat.report, referral.report):
        assert reverse("staff_report", args=[report.reference]) in page
    for kind in ("appeal_overdue", "retraction_overdue", "retraction_disputed"):
        appeal = _open(kind).appeal
        assert reverse("review_case", args=[appeal.reference]) in page
    disputed = _open(Escalation.Kind.RETRACTION_DISPUTED).retraction
    assert disputed.dispute_reason in page
    contested = _open(Escalation.Kind.SANCTION_CONTESTED).sanction
    assert contested.contest_text in page and contested.user.email in page
    # The submissions whose marking led to the sanction, to judge the contest.
    for mark in contested.user.misuse_marks.all():
        assert reverse("review_case", args=[mark.appeal.reference]) in page


def test_threats_to_life_come_first_then_the_oldest() -> None:
    call_command("seed_demo", verbosity=0)
    rows = escalations_open(_supervisor()).rows
    assert rows[0].kind == Escalation.Kind.THREAT_TO_LIFE
    others = [row.created_at for row in rows if row.kind != Escalation.Kind.THREAT_TO_LIFE]
    assert others == sorted(others)
    assert all(row.kind != Escalation.Kind.THREAT_TO_LIFE for row in rows[1:])


def test_the_list_pages_through_every_escalation_without_a_cap_in_fixed_queries(
    supervisor_client: Client,
) -> None:
    appeal = Appeal.objects.order_by("id").first()
    assert appeal is not None
    base = timezone.now()

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            Escalation.objects.create(
                kind=Escalation.Kind.APPEAL_OVERDUE,
                appeal=appeal,
                due_at=base - timedelta(days=400, minutes=i),
                # Several at the same instant: the cursor must still not skip any.
                created_at=base - timedelta(days=1, seconds=i // 3),
            )

    def queries_for_first_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert supervisor_client.get(reverse("supervisor_deadlines")).status_code == 200
        return len(captured)

    add(ESCALATION_PAGE_SIZE, 0)
    few = queries_for_first_page()
    add(2 * ESCALATION_PAGE_SIZE, ESCALATION_PAGE_SIZE)
    assert queries_for_first_page() == few

    seen: list[int] = []
    after: EscalationCursor | None = None
    while True:
        page = escalations_open(_supervisor(), after=after)
        seen.extend(row.pk for row in page.rows)
        if page.next_cursor is None:
            break
        after = EscalationCursor.decode(page.next_cursor)
    open_ids = Escalation.objects.filter(handled_at__isnull=True).values_list("pk", flat=True)
    assert sorted(seen) == sorted(open_ids) and len(seen) == len(set(seen))

    # The page's own "Next page" link leads on.
    first = supervisor_client.get(reverse("supervisor_deadlines")).content.decode()
    assert "after=" in first
    cursor = escalations_open(_supervisor()).next_cursor
    second = supervisor_client.get(reverse("supervisor_deadlines") + f"?after={cursor}")
    assert second.status_code == 200 and "First page" in second.content.decode()


def test_marking_a_threat_to_life_handled_keeps_the_note_and_is_audited(
    supervisor_client: Client,
) -> None:
    threat = _open(Escalation.Kind.THREAT_TO_LIFE)
    response = supervisor_client.post(
        reverse("supervisor_handle_escalation", args=[threat.pk]),
        {"note": "Called the Berlin police, case 2026-113."},
    )
    assert response.status_code == 302
    threat.refresh_from_db()
    assert (
        threat.handled_at is not None and threat.note == "Called the Berlin police, case 2026-113."
    )
    event = AuditEvent.objects.filter(action=AuditAction.ESCALATION_HANDLED).get()
    assert event.harm_report_id == threat.report_id
    handled = supervisor_client.get(reverse("supervisor_deadlines") + "?handled=1")
    assert "Called the Berlin police, case 2026-113." in handled.content.decode()
    assert (
        threat.report.reference
        not in supervisor_client.get(reverse("supervisor_deadlines"))
        .content.decode()
        .split('id="escalations"')[1]
    )


def test_a_contested_sanction_handled_is_audited_on_its_person(
    supervisor_client: Client,
) -> None:
    contested = _open(Escalation.Kind.SANCTION_CONTESTED)
    supervisor_client.post(
        reverse("supervisor_handle_escalation", args=[contested.pk]),
        {"note": "Warning lifted: the appeals were about different posts."},
    )
    event = AuditEvent.objects.filter(action=AuditAction.ESCALATION_HANDLED).get()
    assert event.user_id == contested.sanction.user_id


def test_marking_handled_without_a_note_shows_the_error_in_the_page(
    supervisor_client: Client,
) -> None:
    disputed = _open(Escalation.Kind.RETRACTION_DISPUTED)
    before = AuditEvent.objects.count()
    response = supervisor_client.post(
        reverse("supervisor_handle_escalation", args=[disputed.pk]), {"note": "  "}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "Say what you did about it." in page
    assert f'href="#escalation-{disputed.pk}-note"' in page
    disputed.refresh_from_db()
    assert disputed.handled_at is None and AuditEvent.objects.count() == before


def test_a_second_supervisor_is_told_who_handled_it_first(supervisor_client: Client) -> None:
    overdue = _open(Escalation.Kind.APPEAL_OVERDUE)
    url = reverse("supervisor_handle_escalation", args=[overdue.pk])
    supervisor_client.post(url, {"note": "Assigned to Rita."})
    response = supervisor_client.post(url, {"note": "Assigned again."}, follow=True)
    assert "already marked this as handled" in response.content.decode()
    overdue.refresh_from_db()
    assert overdue.note == "Assigned to Rita."
    assert AuditEvent.objects.filter(action=AuditAction.ESCALATION_HANDLED).count() == 1


def test_the_page_answers_after_an_anonymous_threat_to_life_report(
    supervisor_client: Client,
) -> None:
    filed = report_file(
        submission=ReportSubmission(
            categories=["doxxing"],
            explanation="They posted where I live and said they will come.",
            locations=[
                Location(
                    url="https://chirp.example/p/1", platform=Platform.objects.get(slug="chirp")
                )
            ],
            jurisdictions=[Jurisdiction.objects.get(code="FR")],
            victim_reference="",
            consent_given_by="victim",
            consent_scope="Reporting.",
            requested_actions=["removal"],
            good_faith=True,
            threat_to_life=True,
            reporter_name="Jo",
            reporter_email="jo@example.net",
        ),
        filed_by=None,
    )
    page = supervisor_client.get(reverse("supervisor_deadlines"))
    assert page.status_code == 200
    assert reverse("staff_report", args=[filed.report.reference]) in page.content.decode()


def test_a_supervisor_never_sees_the_escalation_of_their_own_appeal(
    supervisor_client: Client,
) -> None:
    supervisor = _supervisor()
    own = file_appeal(supervisor)
    escalation = Escalation.objects.create(
        kind=Escalation.Kind.APPEAL_OVERDUE,
        appeal=own,
        due_at=timezone.now() - timedelta(days=1),
        created_at=timezone.now() - timedelta(days=1),
    )
    seen: list[int] = []
    after: EscalationCursor | None = None
    while True:
        page = escalations_open(supervisor, after=after)
        seen.extend(row.pk for row in page.rows)
        if page.next_cursor is None:
            break
        after = EscalationCursor.decode(page.next_cursor)
    assert seen and escalation.pk not in seen
    handle = supervisor_client.post(
        reverse("supervisor_handle_escalation", args=[escalation.pk]), {"note": "mine"}
    )
    assert handle.status_code == 404
    escalation.refresh_from_db()
    assert escalation.handled_at is None


def test_a_cursor_with_non_ascii_digits_is_the_first_page(supervisor_client: Client) -> None:
    for raw in ("0_²_1", "0_١٢_3", "0_99999999999999999999_1", "1_9223372036854775807_1"):
        assert EscalationCursor.decode(raw) is None or raw.startswith("1_")
        response = supervisor_client.get(reverse("supervisor_deadlines"), {"after": raw})
        assert response.status_code == 200
