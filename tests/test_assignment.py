from __future__ import annotations

import re
import threading
from collections.abc import Callable

import pytest
from django.db import connections

from appeals.models import (
    Appeal,
    AppealStatus,
    AuditAction,
    AuditEvent,
    ConflictDeclaration,
    Takedown,
    User,
)
from appeals.roles import Role
from appeals.services.assignment import (
    AssignmentRefused,
    appeal_assign,
    appeal_auto_assign,
    appeal_claim,
    appeal_release,
)
from tests.factories import chirp, file_appeal, known_takedown

pytestmark = pytest.mark.django_db


def test_a_reviewer_claims_an_unassigned_case_and_it_is_audited(
    appellant: User, reviewer: User
) -> None:
    appeal = appeal_claim(appeal=file_appeal(appellant), reviewer=reviewer)
    assert appeal.status == AppealStatus.UNDER_REVIEW and appeal.assigned_to == reviewer
    assert AuditEvent.objects.filter(appeal=appeal, action=AuditAction.APPEAL_ASSIGNED).exists()


def test_a_second_claim_is_refused_naming_who_was_first(
    appellant: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    other = make_user("other-reviewer@example.org", roles=(Role.REVIEWER,), mfa=True)
    appeal = file_appeal(appellant)
    appeal_claim(appeal=appeal, reviewer=reviewer)
    with pytest.raises(
        AssignmentRefused, match=re.escape("reviewer-x@example.org took this case first")
    ):
        appeal_claim(appeal=appeal, reviewer=other)


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_claiming_at_once_leave_one_winner(
    make_user: Callable[..., User],
) -> None:
    appellant = make_user("race-appellant@example.org")
    first = make_user("r1@example.org", roles=(Role.REVIEWER,), mfa=True)
    second = make_user("r2@example.org", roles=(Role.REVIEWER,), mfa=True)
    appeal = file_appeal(appellant)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def claim(reviewer: User) -> None:
        try:
            barrier.wait()
            appeal_claim(appeal=Appeal.objects.get(pk=appeal.pk), reviewer=reviewer)
            outcomes.append("won")
        except AssignmentRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(r,)) for r in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["refused", "won"]
    assert AuditEvent.objects.filter(appeal=appeal, action=AuditAction.APPEAL_ASSIGNED).count() == 1


def test_the_reviewer_who_took_the_contested_decision_cannot_be_assigned(
    appellant: User, reviewer: User
) -> None:
    takedown = known_takedown()
    Takedown.objects.filter(pk=takedown.pk).update(decision_maker=reviewer)
    takedown.refresh_from_db()
    appeal = file_appeal(appellant, takedown=takedown, description=None)
    with pytest.raises(AssignmentRefused, match="took the platform’s decision"):
        appeal_claim(appeal=appeal, reviewer=reviewer)
    assert appeal_auto_assign(appeal=appeal) is None


def test_a_declared_conflict_blocks_assignment_with_the_reason(
    appellant: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    ConflictDeclaration.objects.create(reviewer=reviewer, platform=chirp(), note="Former employee")
    supervisor = make_user(roles=(Role.SUPERVISOR,), mfa=True)
    appeal = file_appeal(appellant)
    with pytest.raises(AssignmentRefused, match="conflict of interest with this platform"):
        appeal_assign(appeal=appeal, reviewer=reviewer, by=supervisor)


def test_a_reviewer_of_another_jurisdiction_cannot_take_the_case(
    appellant: User, make_user: Callable[..., User]
) -> None:
    french = make_user(roles=(Role.REVIEWER,), mfa=True, jurisdictions=("FR",))
    with pytest.raises(AssignmentRefused, match="not qualified"):
        appeal_claim(appeal=file_appeal(appellant), reviewer=french)


def test_the_workload_cap_is_respected(appellant: User, make_user: Callable[..., User]) -> None:
    busy = make_user(roles=(Role.REVIEWER,), mfa=True, workload_cap=1)
    appeal_claim(appeal=file_appeal(appellant), reviewer=busy)
    with pytest.raises(AssignmentRefused, match="most allowed"):
        appeal_claim(appeal=file_appeal(appellant), reviewer=busy)


def test_automatic_assignment_picks_the_least_loaded_qualified_reviewer(
    appellant: User, make_user: Callable[..., User]
) -> None:
    loaded = make_user("loaded@example.org", roles=(Role.REVIEWER,), mfa=True)
    free = make_user("free@example.org", roles=(Role.REVIEWER,), mfa=True)
    make_user("french@example.org", roles=(Role.REVIEWER,), mfa=True, jurisdictions=("FR",))
    appeal_claim(appeal=file_appeal(appellant), reviewer=loaded)
    appeal = file_appeal(appellant)
    assert appeal_auto_assign(appeal=appeal) == free
    appeal.refresh_from_db()
    assert appeal.assigned_to == free and appeal.status == AppealStatus.UNDER_REVIEW
    event = AuditEvent.objects.filter(appeal=appeal, action=AuditAction.APPEAL_ASSIGNED).get()
    assert event.actor is None and event.details["how"] == "automatic"


def test_release_puts_the_case_back_and_only_the_holder_or_a_supervisor_may(
    appellant: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    other = make_user(roles=(Role.REVIEWER,), mfa=True)
    appeal = appeal_claim(appeal=file_appeal(appellant), reviewer=reviewer)
    with pytest.raises(AssignmentRefused):
        appeal_release(appeal=appeal, by=other)
    appeal_release(appeal=appeal, by=reviewer)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED and appeal.assigned_to is None


def test_only_supervisors_assign(appellant: User, reviewer: User) -> None:
    with pytest.raises(AssignmentRefused):
        appeal_assign(appeal=file_appeal(appellant), reviewer=reviewer, by=reviewer)
