from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail

from appeals.evidence_types import EvidenceRefused
from appeals.models import (
    AppealDraft,
    AppealStatus,
    AuditAction,
    AuditEvent,
    DeadlinePolicy,
    EvidenceFile,
    User,
)
from appeals.services.appeals import (
    AppealRefused,
    appeal_message_post,
    appeal_request_information,
    appeal_submit,
    appeal_withdraw,
)
from appeals.services.assignment import appeal_claim
from appeals.services.evidence import MAX_FILES_PER_CASE, evidence_add
from appeals.states import APPEAL_TRANSITIONS, IllegalTransition, StaleState, appeal_transition
from tests.factories import file_appeal, germany, known_takedown, pdf_upload, submission

pytestmark = pytest.mark.django_db

NOV_3_2026 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Berlin


def test_filing_sets_a_decision_deadline_of_14_calendar_days_in_the_jurisdiction(
    appellant: User,
) -> None:
    appeal = file_appeal(appellant, now=NOV_3_2026)
    assert appeal.status == AppealStatus.SUBMITTED
    # End of 17 November in Berlin (UTC+1).
    assert appeal.due_at == datetime(2026, 11, 17, 22, 59, 59, 999999, tzinfo=UTC)
    assert appeal.reference.startswith("APL-") and len(appeal.reference) == 13


def test_a_jurisdiction_policy_overrides_the_default_deadline(appellant: User) -> None:
    DeadlinePolicy.objects.create(
        jurisdiction=germany(), case_type="appeal_decision", amount=5, unit="business_days"
    )
    appeal = file_appeal(appellant, now=NOV_3_2026)
    # Five business days after Tue 3 Nov: Tue 10 Nov, end of day in Berlin.
    assert appeal.due_at == datetime(2026, 11, 10, 22, 59, 59, 999999, tzinfo=UTC)


def test_filing_writes_its_audit_event_and_sends_the_receipt(
    appellant: User, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        appeal = file_appeal(appellant, now=NOV_3_2026)
    event = AuditEvent.objects.get(action=AuditAction.APPEAL_FILED, appeal=appeal)
    assert event.actor == appellant
    assert AuditEvent.objects.filter(action=AuditAction.TAKEDOWN_RECORDED).count() == 1
    receipt = mail.outbox[-1]
    assert appeal.reference in receipt.subject
    assert "17 November 2026" in receipt.body


def test_submitting_the_same_draft_twice_creates_one_appeal(appellant: User) -> None:
    draft = AppealDraft.objects.create(owner=appellant, answers={})
    first = appeal_submit(appellant=appellant, draft=draft, submission=submission())
    second = appeal_submit(appellant=appellant, draft=draft, submission=submission())
    assert first.pk == second.pk
    assert appellant.appeals.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.APPEAL_FILED).count() == 1


def test_a_late_appeal_is_refused_with_the_last_valid_date_in_the_message(
    appellant: User,
) -> None:
    with pytest.raises(AppealRefused) as refused:
        file_appeal(appellant, now=NOV_3_2026, informed_on=date(2026, 5, 2))
    assert "2 November 2026" in refused.value.message
    assert not appellant.appeals.exists()


def test_a_late_appeal_is_accepted_with_a_reason_where_the_jurisdiction_allows_it(
    appellant: User,
) -> None:
    de = germany()
    de.accepts_late_appeals = True
    de.save()
    with pytest.raises(AppealRefused):
        file_appeal(appellant, now=NOV_3_2026, informed_on=date(2026, 1, 5))
    appeal = file_appeal(
        appellant, now=NOV_3_2026, informed_on=date(2026, 1, 5), late_reason="I was in hospital."
    )
    assert appeal.late_reason == "I was in hospital."


def test_an_appeal_against_a_known_takedown_reuses_its_record(appellant: User) -> None:
    takedown = known_takedown()
    appeal = file_appeal(appellant, takedown=takedown, description=None)
    assert appeal.takedown == takedown
    assert not AuditEvent.objects.filter(action=AuditAction.TAKEDOWN_RECORDED).exists()


def test_an_information_request_pauses_the_clock_and_the_answer_moves_the_deadline(
    appellant: User, reviewer: User
) -> None:
    appeal = file_appeal(appellant, now=NOV_3_2026)
    appeal_claim(appeal=appeal, reviewer=reviewer, now=NOV_3_2026)
    appeal.refresh_from_db()
    original_due = appeal.due_at
    asked = NOV_3_2026 + timedelta(days=2)
    appeal_request_information(appeal=appeal, reviewer=reviewer, question="Which post?", now=asked)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.AWAITING_APPELLANT
    assert appeal.paused_at == asked

    answered = asked + timedelta(days=3, hours=4)
    appeal_message_post(appeal=appeal, author=appellant, body="This one.", now=answered)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UNDER_REVIEW  # back to where it was
    assert appeal.paused_at is None
    assert appeal.due_at == original_due + timedelta(days=3, hours=4)
    assert appeal.messages.get(kind="information_request").answered_at == answered
    assert AuditEvent.objects.filter(
        appeal=appeal, action=AuditAction.APPEAL_INFORMATION_PROVIDED
    ).exists()


def test_withdrawing_closes_the_appeal_and_it_cannot_be_withdrawn_twice(appellant: User) -> None:
    appeal = file_appeal(appellant)
    appeal_withdraw(appeal=appeal, by=appellant)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.WITHDRAWN
    assert appeal.closed_at is not None
    with pytest.raises(AppealRefused):
        appeal_withdraw(appeal=appeal, by=appellant)
    assert (
        AuditEvent.objects.filter(appeal=appeal, action=AuditAction.APPEAL_WITHDRAWN).count() == 1
    )


def test_evidence_is_stored_with_its_hash_and_audited_on_an_appeal(appellant: User) -> None:
    appeal = file_appeal(appellant)
    evidence = evidence_add(upload=pdf_upload(), uploaded_by=appellant, appeal=appeal)
    assert evidence.mime == "application/pdf"
    assert len(evidence.sha256) == 64
    assert evidence.file.name.startswith("evidence/") and "." not in evidence.file.name
    assert AuditEvent.objects.filter(
        appeal=appeal, action=AuditAction.APPEAL_EVIDENCE_ADDED
    ).exists()


def test_an_executable_renamed_pdf_is_refused(appellant: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    draft = AppealDraft.objects.create(owner=appellant, answers={})
    with pytest.raises(EvidenceRefused) as refused:
        evidence_add(upload=fake, uploaded_by=appellant, draft=draft)
    assert "letter.pdf" in str(refused.value.message)
    assert not EvidenceFile.objects.exists()


def test_a_case_takes_at_most_the_file_limit(appellant: User) -> None:
    draft = AppealDraft.objects.create(owner=appellant, answers={})
    for i in range(MAX_FILES_PER_CASE):
        evidence_add(upload=pdf_upload(f"f{i}.pdf"), uploaded_by=appellant, draft=draft)
    with pytest.raises(EvidenceRefused):
        evidence_add(upload=pdf_upload("one-more.pdf"), uploaded_by=appellant, draft=draft)


@pytest.mark.parametrize(
    ("current", "target"),
    [(c, t) for c in AppealStatus.values for t in AppealStatus.values if c != t],
)
def test_every_transition_is_allowed_or_refused_as_the_table_says(
    appellant: User, current: str, target: str
) -> None:
    appeal = file_appeal(appellant)
    type(appeal).objects.filter(pk=appeal.pk).update(status=current)
    appeal.refresh_from_db()
    if target in APPEAL_TRANSITIONS[current]:
        appeal_transition(appeal, AppealStatus(target))
        appeal.refresh_from_db()
        assert appeal.status == target
    else:
        with pytest.raises(IllegalTransition):
            appeal_transition(appeal, AppealStatus(target))


def test_a_transition_from_a_stale_status_fails(appellant: User) -> None:
    appeal = file_appeal(appellant)
    stale = type(appeal).objects.get(pk=appeal.pk)
    appeal_transition(appeal, AppealStatus.WITHDRAWN)
    with pytest.raises(StaleState):
        appeal_transition(stale, AppealStatus.UNDER_REVIEW)


def test_only_the_assigned_reviewer_or_a_supervisor_may_ask_the_appellant(
    appellant: User, reviewer: User
) -> None:
    appeal = file_appeal(appellant)
    with pytest.raises(AppealRefused):
        appeal_request_information(appeal=appeal, reviewer=reviewer, question="Why?")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED
