"""Who reviews which appeal: claim, assign, release, and automatic assignment."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.errors import Refused
from appeals.models import (
    Appeal,
    AppealStatus,
    AuditAction,
    ReviewerProfile,
    User,
)
from appeals.models.appeal import OPEN_STATUSES
from appeals.permissions import (
    can_see_case_as_staff,
    conflicts_of_interest,
    has_role,
)
from appeals.roles import Role
from appeals.services.audit import audit_record
from appeals.states import APPEAL, appeal_transition, update_if_unchanged


class AssignmentRefused(Refused):
    """A case cannot be assigned or released (appeals.errors.Refused)."""


def open_case_count(reviewer: User) -> int:
    return Appeal.objects.filter(assigned_to=reviewer, status__in=OPEN_STATUSES).count()


def _check_can_take(reviewer: User, appeal: Appeal) -> None:
    if not has_role(reviewer, Role.REVIEWER):
        raise AssignmentRefused(_("Only reviewers can take cases."))
    if not can_see_case_as_staff(reviewer, appeal):
        raise AssignmentRefused(_("This reviewer is not qualified for this jurisdiction."))
    conflicts = conflicts_of_interest(reviewer, appeal)
    if conflicts:
        raise AssignmentRefused(
            _("Conflict of interest: %(reasons)s") % {"reasons": " ".join(conflicts)}
        )
    # Locking the reviewer's profile serialises their assignments, so two at once
    # cannot both slip under the cap.
    profile = ReviewerProfile.objects.select_for_update().filter(user=reviewer).first()
    cap = profile.workload_cap if profile else 0
    if open_case_count(reviewer) >= cap:
        raise AssignmentRefused(
            _("This reviewer already has %(cap)d open cases, the most allowed.") % {"cap": cap}
        )


def appeal_claim(*, appeal: Appeal, reviewer: User, now: datetime | None = None) -> Appeal:
    """A reviewer takes an unassigned case. If two claim at once, one wins; the other
    is told who was first."""
    now = now or timezone.now()
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("takedown").get(pk=appeal.pk)
        if appeal.status != AppealStatus.SUBMITTED or appeal.assigned_to_id is not None:
            holder = appeal.assigned_to
            raise AssignmentRefused(
                _("%(who)s took this case first.") % {"who": holder}
                if holder
                else _("This case cannot be claimed in its current state.")
            )
        _check_can_take(reviewer, appeal)
        appeal_transition(appeal, AppealStatus.UNDER_REVIEW, assigned_to=reviewer, assigned_at=now)
        audit_record(
            action=AuditAction.APPEAL_ASSIGNED,
            actor=reviewer,
            target=appeal,
            details={"reviewer": reviewer.pk, "how": "claimed"},
            occurred_at=now,
        )
    appeal.refresh_from_db()
    return appeal


def appeal_assign(
    *, appeal: Appeal, reviewer: User, by: User | None, now: datetime | None = None
) -> Appeal:
    """A supervisor (or the automatic assigner, ``by=None``) gives a case to a reviewer,
    also taking it from another reviewer."""
    now = now or timezone.now()
    if by is not None and not has_role(by, Role.SUPERVISOR):
        raise AssignmentRefused(_("Only supervisors can assign cases."))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("takedown").get(pk=appeal.pk)
        if appeal.assigned_to_id == reviewer.pk:
            return appeal
        if by is None and (
            appeal.status != AppealStatus.SUBMITTED or appeal.assigned_to_id is not None
        ):
            # Automatic assignment never takes a case someone claimed meanwhile.
            raise AssignmentRefused(_("This case was taken meanwhile."))
        _check_can_take(reviewer, appeal)
        previous = appeal.assigned_to_id
        if appeal.status == AppealStatus.SUBMITTED:
            appeal_transition(
                appeal, AppealStatus.UNDER_REVIEW, assigned_to=reviewer, assigned_at=now
            )
        elif appeal.status in (AppealStatus.UNDER_REVIEW, AppealStatus.AWAITING_APPELLANT):
            update_if_unchanged(APPEAL, appeal, assigned_to=reviewer, assigned_at=now)
        else:
            raise AssignmentRefused(_("This case cannot be assigned in its current state."))
        audit_record(
            action=AuditAction.APPEAL_ASSIGNED,
            actor=by,
            target=appeal,
            details={
                "reviewer": reviewer.pk,
                "previous": previous,
                "how": "assigned" if by else "automatic",
            },
            occurred_at=now,
        )
    return appeal


def appeal_release(*, appeal: Appeal, by: User, now: datetime | None = None) -> Appeal:
    """The assigned reviewer (or a supervisor) puts the case back in the queue."""
    now = now or timezone.now()
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.assigned_to_id != by.pk and not has_role(by, Role.SUPERVISOR):
            raise AssignmentRefused(_("Only the assigned reviewer or a supervisor can do this."))
        if appeal.status != AppealStatus.UNDER_REVIEW:
            raise AssignmentRefused(_("Only a case under review can be released."))
        previous = appeal.assigned_to_id
        appeal_transition(appeal, AppealStatus.SUBMITTED, assigned_to=None, assigned_at=None)
        audit_record(
            action=AuditAction.APPEAL_RELEASED,
            actor=by,
            target=appeal,
            details={"previous": previous},
            occurred_at=now,
        )
    return appeal


def appeal_auto_assign(*, appeal: Appeal, now: datetime | None = None) -> User | None:
    """Give an unassigned case to the least-loaded qualified reviewer without a
    conflict and under their workload cap. Returns None if nobody fits."""
    appeal = Appeal.objects.select_related("takedown").get(pk=appeal.pk)
    if appeal.status != AppealStatus.SUBMITTED or appeal.assigned_to_id is not None:
        return None
    profiles = list(
        ReviewerProfile.objects.filter(
            active=True,
            jurisdictions=appeal.jurisdiction_id,
            user__is_active=True,
            user__groups__name=Role.REVIEWER,
        ).select_related("user")
    )
    profiles = [p for p in profiles if not p.languages or appeal.language in p.languages]
    loads = dict(
        Appeal.objects.filter(
            assigned_to__in=[p.user_id for p in profiles], status__in=OPEN_STATUSES
        )
        .values_list("assigned_to")
        .annotate(n=Count("id"))
        .values_list("assigned_to", "n")
    )
    for profile in sorted(profiles, key=lambda p: (loads.get(p.user_id, 0), p.user_id)):
        if loads.get(profile.user_id, 0) >= profile.workload_cap:
            continue
        if conflicts_of_interest(profile.user, appeal):
            continue
        try:
            appeal_assign(appeal=appeal, reviewer=profile.user, by=None, now=now)
        except AssignmentRefused:
            continue
        return profile.user
    return None


def appeal_flag_for_second_review(
    *, appeal: Appeal, supervisor: User, reason: str, now: datetime | None = None
) -> Appeal:
    """A supervisor requires a second reviewer's approval for this case's decision."""
    now = now or timezone.now()
    if not has_role(supervisor, Role.SUPERVISOR):
        raise AssignmentRefused(_("Only supervisors can flag a case."))
    if not reason.strip():
        raise AssignmentRefused(_("Say why this case needs a second reviewer."))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.status not in (
            AppealStatus.SUBMITTED,
            AppealStatus.UNDER_REVIEW,
            AppealStatus.AWAITING_APPELLANT,
        ):
            raise AssignmentRefused(
                _("Only a case not yet decided can be flagged for a second reviewer.")
            )
        Appeal.objects.filter(pk=appeal.pk).update(needs_second_review=True)
        appeal.needs_second_review = True
        audit_record(
            action=AuditAction.APPEAL_FLAGGED_FOR_SECOND_REVIEW,
            actor=supervisor,
            target=appeal,
            details={"reason": reason.strip()},
            occurred_at=now,
        )
    return appeal
