from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appeals.models import (
    Appeal,
    AppealStatus,
    AuditAction,
    AuditEvent,
    Decision,
    DecisionProposal,
    User,
)
from appeals.roles import Role
from appeals.services.evidence import evidence_add
from tests.conftest import sign_in
from tests.factories import chirp, claimed_appeal, file_appeal, germany, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer_client(reviewer: User) -> Client:
    return sign_in(Client(), reviewer, with_mfa=True)


def _bulk_appeals(appellant: User, count: int) -> None:
    """Many open appeals, inserted in one statement (the queue test needs volume, not history)."""
    template = file_appeal(appellant)
    now = timezone.now()
    start = Appeal.objects.count()
    Appeal.objects.bulk_create(
        Appeal(
            reference=f"APL-{(start + i) // 10000:04d}-{(start + i) % 10000:04d}",
            appellant=appellant,
            takedown=template.takedown,
            platform=template.platform,
            jurisdiction=template.jurisdiction,
            informed_on=template.informed_on,
            grounds="x",
            language="en",
            filed_at=now,
            due_at=now + timedelta(hours=i),
            submission_key=uuid.uuid4(),
        )
        for i in range(count)
    )


def test_the_queue_makes_the_same_number_of_queries_for_10_and_1000_cases(
    reviewer_client: Client, appellant: User, django_assert_num_queries: Callable
) -> None:
    _bulk_appeals(appellant, 10)
    with CaptureQueriesContext(connection) as small:
        reviewer_client.get(reverse("review_queue"))
    assert len(small.captured_queries) <= 10
    _bulk_appeals(appellant, 990)
    with django_assert_num_queries(len(small.captured_queries)):
        page = reviewer_client.get(reverse("review_queue")).content.decode()
    assert page.count("/review/cases/APL-") == 25
    assert "Next page" in page


def test_the_queue_pages_by_keyset_without_repeating_rows(
    reviewer_client: Client, appellant: User
) -> None:
    _bulk_appeals(appellant, 30)
    first = reviewer_client.get(reverse("review_queue")).context["page"]
    second = reviewer_client.get(reverse("review_queue"), {"after": first.next_cursor}).context[
        "page"
    ]
    first_ids = {r.appeal.pk for r in first.rows}
    second_ids = {r.appeal.pk for r in second.rows}
    assert len(first_ids) == 25 and len(second_ids) == 6 and not first_ids & second_ids
    assert second.next_cursor is None


def test_a_malformed_cursor_shows_the_first_page(reviewer_client: Client, appellant: User) -> None:
    appeal = file_appeal(appellant)
    response = reviewer_client.get(reverse("review_queue"), {"after": "x'; DROP TABLE--"})
    assert response.status_code == 200
    assert appeal.reference in response.content.decode()  # the first page


def test_overdue_and_due_soon_are_marked_in_words(reviewer_client: Client, appellant: User) -> None:
    late = file_appeal(appellant)
    soon = file_appeal(appellant)
    Appeal.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    Appeal.objects.filter(pk=soon.pk).update(due_at=timezone.now() + timedelta(hours=5))
    page = reviewer_client.get(reverse("review_queue")).content.decode()
    assert "Overdue" in page and "Due soon" in page


def test_the_queue_filters_by_assignment(
    reviewer_client: Client, appellant: User, reviewer: User
) -> None:
    mine = claimed_appeal(appellant, reviewer)
    other = file_appeal(appellant)
    page = reviewer_client.get(reverse("review_queue"), {"assigned": "me"}).content.decode()
    assert mine.reference in page and other.reference not in page
    page = reviewer_client.get(reverse("review_queue"), {"assigned": "unassigned"}).content.decode()
    assert other.reference in page and mine.reference not in page


def test_a_reviewer_of_another_jurisdiction_sees_nothing_of_the_case(
    appellant: User, make_user: Callable[..., User]
) -> None:
    appeal = file_appeal(appellant)
    evidence = evidence_add(upload=pdf_upload(), uploaded_by=appellant, appeal=appeal)
    french = sign_in(
        Client(), make_user(roles=(Role.REVIEWER,), mfa=True, jurisdictions=("FR",)), with_mfa=True
    )
    assert appeal.reference not in french.get(reverse("review_queue")).content.decode()
    for url in (
        reverse("review_case", args=[appeal.reference]),
        reverse("review_evidence", args=[appeal.reference, evidence.pk]),
    ):
        assert french.get(url).status_code == 404
    assert french.post(reverse("review_claim", args=[appeal.reference])).status_code == 404
    appeal.refresh_from_db()
    assert appeal.assigned_to is None


def test_staff_pages_need_the_role_and_the_second_factor(
    client: Client, appellant: User, reviewer: User
) -> None:
    appeal = file_appeal(appellant)
    url = reverse("review_case", args=[appeal.reference])
    assert client.get(url).status_code == 302  # anonymous: sign in
    assert sign_in(Client(), appellant).get(url).status_code == 404
    no_mfa = sign_in(Client(), reviewer, with_mfa=False).get(url)
    assert no_mfa.status_code == 302 and "reauthenticate" in no_mfa.url
    assert sign_in(Client(), reviewer, with_mfa=True).get(url).status_code == 200


def test_claim_request_information_and_decide_through_the_pages(
    reviewer_client: Client, appellant: User, reviewer: User
) -> None:
    appeal = file_appeal(appellant)
    reviewer_client.post(reverse("review_claim", args=[appeal.reference]))
    appeal.refresh_from_db()
    assert appeal.assigned_to == reviewer

    response = reviewer_client.post(
        reverse("review_decide", args=[appeal.reference]), {"outcome": "reversed", "reasons": ""}
    )
    assert response.status_code == 400
    assert "Give the reasons for the decision." in response.content.decode()
    assert not Decision.objects.exists()

    reviewer_client.post(
        reverse("review_decide", args=[appeal.reference]),
        {
            "outcome": "reversed",
            "reasons": "Satire is allowed.",
            "basis_kind": "contractual",
            "basis": "Rule 3, satire exception.",
            "remedies_ordered": ["reinstate_content"],
            "internal_note": "Private remark.",
        },
    )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DECIDED
    assert Decision.objects.get(appeal=appeal).decided_by == reviewer


def test_a_four_eyes_decision_is_approved_by_a_second_reviewer_through_the_pages(
    appellant: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    first = sign_in(Client(), reviewer, with_mfa=True)
    first.post(
        reverse("review_decide", args=[appeal.reference]),
        {
            "outcome": "reversed",
            "reasons": "Wrongly removed; the user lost income.",
            "basis_kind": "contractual",
            "basis": "Rule 3.",
            "remedies_ordered": ["reinstate_content", "compensation"],
        },
    )
    proposal = DecisionProposal.objects.get(appeal=appeal)
    # The proposer cannot approve their own decision.
    first.post(reverse("review_approve", args=[appeal.reference, proposal.pk]))
    assert not Decision.objects.exists()

    second_reviewer = make_user("second@example.org", roles=(Role.REVIEWER,), mfa=True)
    second = sign_in(Client(), second_reviewer, with_mfa=True)
    page = second.get(reverse("review_case", args=[appeal.reference])).content.decode()
    assert "Decision waiting for a second reviewer" in page
    second.post(reverse("review_approve", args=[appeal.reference, proposal.pk]))
    decision = Decision.objects.get(appeal=appeal)
    assert decision.approved_by == second_reviewer


def test_opening_evidence_is_recorded_in_the_audit_trail(
    reviewer_client: Client, appellant: User, reviewer: User
) -> None:
    appeal = file_appeal(appellant)
    evidence = evidence_add(upload=pdf_upload(), uploaded_by=appellant, appeal=appeal)
    response = reviewer_client.get(reverse("review_evidence", args=[appeal.reference, evidence.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    event = AuditEvent.objects.get(action=AuditAction.APPEAL_EVIDENCE_OPENED)
    assert event.actor == reviewer and event.details["evidence"] == str(evidence.pk)


def test_an_evidence_file_under_another_case_is_404(
    reviewer_client: Client, appellant: User
) -> None:
    first, second = file_appeal(appellant), file_appeal(appellant)
    evidence = evidence_add(upload=pdf_upload(), uploaded_by=appellant, appeal=first)
    url = reverse("review_evidence", args=[second.reference, evidence.pk])
    assert reviewer_client.get(url).status_code == 404


def test_the_case_page_shows_related_cases(reviewer_client: Client, appellant: User) -> None:
    first, second = file_appeal(appellant), file_appeal(appellant)
    page = reviewer_client.get(reverse("review_case", args=[first.reference])).content.decode()
    assert second.reference in page  # same appellant


def test_supervisors_see_workload_and_assign_automatically(
    appellant: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    supervisor = make_user(roles=(Role.SUPERVISOR,), mfa=True)
    client = sign_in(Client(), supervisor, with_mfa=True)
    appeal = file_appeal(appellant)
    claimed_appeal(appellant, reviewer)
    page = client.get(reverse("supervisor_overview")).content.decode()
    # The workload row: the reviewer's name, then 1 open case, cap 30, 0 overdue.
    assert f"<td>{reviewer.get_full_name()}</td><td>1</td><td>30</td><td>0</td>" in page
    assert appeal.reference in page  # listed as unassigned
    client.post(reverse("supervisor_auto_assign"))
    appeal.refresh_from_db()
    assert appeal.assigned_to == reviewer
    assert (
        sign_in(Client(), reviewer, with_mfa=True).get(reverse("supervisor_overview")).status_code
        == 404
    )


def test_reviewer_write_urls_refuse_get(reviewer_client: Client, appellant: User) -> None:
    appeal = file_appeal(appellant)
    for name in ("review_claim", "review_release", "review_decide", "review_request_information"):
        assert reviewer_client.get(reverse(name, args=[appeal.reference])).status_code == 405


def test_platform_and_jurisdiction_filters(reviewer_client: Client, appellant: User) -> None:
    appeal = file_appeal(appellant)
    page = reviewer_client.get(
        reverse("review_queue"), {"platform": chirp().pk, "jurisdiction": germany().pk}
    ).content.decode()
    assert appeal.reference in page


@pytest.mark.postgresql
def test_postgresql_serves_the_queue_from_the_partial_index(
    appellant: User, reviewer: User
) -> None:
    from appeals.selectors.queue import QueueFilters, review_queue

    _bulk_appeals(appellant, 3000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE appeals_appeal")
    with CaptureQueriesContext(connection) as captured:
        review_queue(reviewer, QueueFilters())
    queue_sql = next(q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queue_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "appeal_queue" in plan, plan
    assert "Sort" not in plan, plan  # rows come in index order: no sort of the open cases


def test_a_case_changed_meanwhile_is_told_in_a_sentence_not_internal_codes(
    reviewer_client: Client, appellant: User, reviewer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from appeals.models import Appeal as AppealModel
    from appeals.states import appeal_transition

    appeal = claimed_appeal(appellant, reviewer)

    def someone_was_faster(*args: object, **kwargs: object) -> None:
        # The appellant withdraws between the reviewer's read and write.
        AppealModel.objects.filter(pk=appeal.pk).update(status=AppealStatus.WITHDRAWN)
        appeal_transition(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("appeals.services.assignment.appeal_transition", someone_was_faster)
    response = reviewer_client.post(reverse("review_release", args=[appeal.reference]), follow=True)
    page = response.content.decode()
    assert "Someone else changed this meanwhile. Reload the page and try again." in page
    assert "under_review" not in page and "changed while you were working" not in page
    appeal.refresh_from_db()
    # Nothing was released (the stand-in for the other write shares the rolled-back
    # transaction, so the case is as it was).
    assert appeal.status == AppealStatus.UNDER_REVIEW
    assert appeal.assigned_to == reviewer
