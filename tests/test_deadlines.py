"""The deadline sweep: reminders and escalations at the right instants, exactly once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections

from appeals.models import Appeal, AuditAction, AuditEvent, Escalation, User
from appeals.roles import Role
from appeals.services.appeals import appeal_message_post, appeal_request_information
from appeals.services.deadlines import deadlines_sweep
from tests.factories import claimed_appeal, file_appeal

pytestmark = pytest.mark.django_db

# Friday 23 October 2026, 10:00 in Berlin (UTC+2; summer time ends on Sunday 25th).
FRIDAY = datetime(2026, 10, 23, 8, 0, tzinfo=UTC)


def test_the_reminder_goes_at_75_percent_and_the_breach_at_the_due_time_across_dst(
    appellant: User,
    reviewer: User,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Callable,
) -> None:
    make_user("boss@example.org", roles=(Role.SUPERVISOR,), mfa=True)
    appeal = claimed_appeal(appellant, reviewer, now=FRIDAY)
    appeal.refresh_from_db()
    # 14 calendar days: end of Friday 6 November in Berlin, which is UTC+1 by then.
    assert appeal.due_at == datetime(2026, 11, 6, 22, 59, 59, 999999, tzinfo=UTC)
    assert appeal.remind_at == FRIDAY + (appeal.due_at - FRIDAY) * 0.75

    assert deadlines_sweep(now=appeal.remind_at - timedelta(seconds=1)).reminded == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_sweep(now=appeal.remind_at).reminded == 1
    assert mail.outbox[-1].to == [reviewer.email]
    assert deadlines_sweep(now=appeal.remind_at + timedelta(hours=1)).reminded == 0

    assert deadlines_sweep(now=appeal.due_at - timedelta(microseconds=1)).breached == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_sweep(now=appeal.due_at).breached == 1
    assert mail.outbox[-1].to == ["boss@example.org"]
    assert Escalation.objects.filter(appeal=appeal, kind="appeal_overdue").count() == 1
    assert deadlines_sweep(now=appeal.due_at + timedelta(days=3)).breached == 0
    assert (
        AuditEvent.objects.filter(appeal=appeal, action=AuditAction.DEADLINE_BREACHED).count() == 1
    )


def test_a_paused_case_is_neither_reminded_nor_escalated_and_resumes_later(
    appellant: User, reviewer: User
) -> None:
    appeal = claimed_appeal(appellant, reviewer, now=FRIDAY)
    appeal_request_information(
        appeal=appeal, reviewer=reviewer, question="Which post?", now=FRIDAY + timedelta(days=1)
    )
    appeal.refresh_from_db()
    original_due = appeal.due_at
    result = deadlines_sweep(now=original_due + timedelta(days=1))
    assert (result.reminded, result.breached) == (0, 0)
    appeal_message_post(
        appeal=appeal, author=appellant, body="This one.", now=FRIDAY + timedelta(days=11)
    )
    appeal.refresh_from_db()
    assert appeal.due_at == original_due + timedelta(days=10)
    assert deadlines_sweep(now=original_due + timedelta(days=1)).breached == 0
    assert deadlines_sweep(now=appeal.due_at).breached == 1


def test_business_day_deadlines_skip_the_german_holiday_and_weekend(
    appellant: User, reviewer: User
) -> None:
    from appeals.models import DeadlinePolicy
    from tests.factories import germany

    DeadlinePolicy.objects.create(
        jurisdiction=germany(), case_type="appeal_decision", amount=2, unit="business_days"
    )
    # Friday 2 October 2026; Saturday 3 October is German Unity Day, then the weekend.
    with time_machine.travel(datetime(2026, 10, 2, 9, 0, tzinfo=UTC), tick=False):
        appeal = file_appeal(appellant)
    assert appeal.due_at == datetime(2026, 10, 6, 21, 59, 59, 999999, tzinfo=UTC)
    assert deadlines_sweep(now=datetime(2026, 10, 6, 21, 0, tzinfo=UTC)).breached == 0
    assert deadlines_sweep(now=datetime(2026, 10, 6, 22, 0, tzinfo=UTC)).breached == 1


def test_the_sweep_reads_only_due_rows(appellant: User, reviewer: User) -> None:
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        file_appeal(appellant, now=FRIDAY)
    with CaptureQueriesContext(connection) as nothing_due:
        deadlines_sweep(now=FRIDAY + timedelta(hours=1))
    assert len(nothing_due.captured_queries) == 4  # one query per kind of deadline


@pytest.mark.parametrize("due", [3, 30])
def test_reminders_are_sent_in_one_batch_whatever_their_number(
    make_user: Callable[..., User], due: int
) -> None:
    """A fixed number of queries for the reminders' batch (the claim, the cases, the
    audit append), plus one email per assigned case: 1,000 due cases must not cost
    1,000 transactions."""
    from django.test.utils import CaptureQueriesContext

    from appeals.models import AuditEvent

    appellant = make_user("batch@example.org")
    appeals = [file_appeal(appellant, now=FRIDAY) for _ in range(due)]
    remind = appeals[0].remind_at + timedelta(minutes=1)
    with CaptureQueriesContext(connection) as queries:
        result = deadlines_sweep(now=remind)
    assert result.reminded == due
    assert len(queries.captured_queries) <= 13, [q["sql"][:80] for q in queries.captured_queries]
    events = AuditEvent.objects.filter(action="deadline.reminder_sent")
    assert sorted(events.values_list("appeal_id", flat=True)) == sorted(a.pk for a in appeals)
    assert deadlines_sweep(now=remind).reminded == 0
    assert events.count() == due


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_escalate_each_missed_deadline_exactly_once(
    make_user: Callable[..., User],
) -> None:
    appellant = make_user("many@example.org")
    for _ in range(6):
        file_appeal(appellant, now=FRIDAY)
    later = FRIDAY + timedelta(days=30)
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait()
            deadlines_sweep(now=later)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert Escalation.objects.filter(kind="appeal_overdue").count() == 6
    assert AuditEvent.objects.filter(action=AuditAction.DEADLINE_BREACHED).count() == 6
    assert Appeal.objects.filter(breached_at__isnull=True).count() == 0


@pytest.mark.postgresql
def test_postgresql_plans_the_breach_sweep_on_its_partial_index(appellant: User) -> None:
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        file_appeal(appellant, now=FRIDAY)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE appeals_appeal")
        cursor.execute("SET enable_seqscan = off")
    with CaptureQueriesContext(connection) as captured:
        deadlines_sweep(now=FRIDAY)
    breach_sql = next(
        q["sql"] for q in captured.captured_queries if '"breached_at" IS NULL' in q["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + breach_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "appeal_breach_sweep" in plan, plan


def test_the_deadline_email_task_queues_each_email_once_even_when_run_twice(
    appellant: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    """The sweep hands its batch's emails to a task after commit; django-q2 may run a
    task again (a worker lost after finishing it), which must not email twice."""
    from appeals.models import OutboundEmail
    from appeals.services.deadlines import deadline_emails_send

    make_user("boss@example.org", roles=(Role.SUPERVISOR,), mfa=True)
    appeal = claimed_appeal(appellant, reviewer, now=FRIDAY)
    appeal.refresh_from_db()
    assert deadlines_sweep(now=appeal.due_at).breached == 1  # on_commit not run here
    assert deadlines_sweep(now=appeal.due_at).reminded == 0  # reminded in the same sweep
    for _ in range(2):
        deadline_emails_send(template="deadline_reminder", appeal_ids=[appeal.pk])
        deadline_emails_send(template="deadline_breached", appeal_ids=[appeal.pk])
    emails = OutboundEmail.objects.filter(template__startswith="deadline_").order_by("template")
    assert [(e.template, e.to) for e in emails] == [
        ("deadline_breached", ["boss@example.org"]),
        ("deadline_reminder", [reviewer.email]),
    ]


# --- appeals.deadlines: the one place that says when a case is due ----------------


@pytest.mark.django_db
def test_due_at_for_takes_the_jurisdictions_own_policy_else_the_default():
    from appeals.deadlines import due_at_for
    from appeals.models import CaseType, DeadlinePolicy, DeadlineUnit, Priority
    from tests.factories import germany

    de = germany()
    start = datetime(2026, 12, 23, 15, 0, tzinfo=UTC)
    # The default rows: 14 calendar days for a decision (to the end of the day in
    # Berlin), 72 hours for a retraction.
    assert due_at_for(de, CaseType.APPEAL_DECISION, Priority.STANDARD, start) == datetime(
        2027, 1, 6, 22, 59, 59, 999999, tzinfo=UTC
    )
    assert due_at_for(de, CaseType.RETRACTION, Priority.STANDARD, start) == start + timedelta(
        hours=72
    )
    DeadlinePolicy.objects.create(
        jurisdiction=de,
        case_type=CaseType.APPEAL_DECISION,
        priority=Priority.STANDARD,
        amount=10,
        unit=DeadlineUnit.CALENDAR_DAYS,
    )
    assert due_at_for(de, CaseType.APPEAL_DECISION, Priority.STANDARD, start) == datetime(
        2027, 1, 2, 22, 59, 59, 999999, tzinfo=UTC
    )


def test_the_appeal_window_says_once_what_is_wrong():
    from datetime import date

    from appeals.deadlines import WindowCheck

    on_time = WindowCheck(last_day=date(2026, 6, 1), late=False, late_allowed=False)
    assert on_time.problem(late_reason="") is None
    closed = WindowCheck(last_day=date(2026, 6, 1), late=True, late_allowed=False)
    problem = closed.problem(late_reason="I was ill")
    assert problem is not None and problem.field == "informed_on"
    assert "1 June 2026" in problem.message
    late = WindowCheck(last_day=date(2026, 6, 1), late=True, late_allowed=True)
    problem = late.problem(late_reason="  ")
    assert problem is not None and problem.field == "late_reason"
    assert late.problem(late_reason="I was ill") is None
