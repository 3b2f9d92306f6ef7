"""Who may do what: the one place authorization is decided, as pure rules.

Views ask these functions; they never test groups or flags themselves. The request
gates that apply them (sign-in, second factor, cross-site refusals) are in
``appeals.accounts.gates``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from appeals.roles import STAFF_ROLES, Role


def user_roles(user: Any) -> frozenset[str]:
    """The staff roles a user holds, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        names = user.groups.filter(name__in=STAFF_ROLES).values_list("name", flat=True)
        cached = frozenset(names)
        user._portal_roles = cached
    return cached


def has_role(user: Any, *roles: Role) -> bool:
    return bool(user_roles(user) & {role.value for role in roles})


def is_staff_member(user: Any) -> bool:
    """Holds any staff role, or may use the admin site."""
    return bool(user_roles(user)) or bool(getattr(user, "is_staff", False))


# --- Reviewers and cases ---------------------------------------------------------


def reviewer_jurisdiction_ids(user: Any) -> frozenset[int] | None:
    """The jurisdictions whose cases a staff member may see; None means all of them.

    Supervisors and auditors see every jurisdiction; a reviewer only those their
    profile names; anyone else none.
    """
    if has_role(user, Role.SUPERVISOR, Role.AUDITOR):
        return None
    if not has_role(user, Role.REVIEWER):
        return frozenset()
    cached = getattr(user, "_portal_jurisdictions", None)
    if cached is None:
        from appeals.models import ReviewerProfile

        cached = frozenset(
            ReviewerProfile.jurisdictions.through.objects.filter(
                reviewerprofile__user_id=user.pk
            ).values_list("jurisdiction_id", flat=True)
        )
        user._portal_jurisdictions = cached
    return cached


def can_see_case_as_staff(user: Any, appeal: Any) -> bool:
    allowed = reviewer_jurisdiction_ids(user)
    return allowed is None or appeal.jurisdiction_id in allowed


def conflicts_of_interest(reviewer: Any, appeal: Any) -> list[str]:
    """Why ``reviewer`` must not handle ``appeal`` (DSA Art. 20: non-arbitrary,
    supervised decisions). An empty list means no conflict is known."""
    from appeals.models import ConflictDeclaration, Decision, DecisionProposal

    reasons: list[str] = []
    if appeal.appellant_id == reviewer.pk:
        reasons.append(_("This is their own appeal."))
    if appeal.takedown.decision_maker_id == reviewer.pk:
        reasons.append(_("They took the platform’s decision that is contested."))
    if (
        Decision.objects.filter(appeal=appeal, decided_by=reviewer).exists()
        or DecisionProposal.objects.filter(
            appeal=appeal, state=DecisionProposal.State.APPROVED, proposed_by=reviewer
        ).exists()
    ):
        reasons.append(_("They took an earlier decision on this case."))
    declared = ConflictDeclaration.objects.filter(reviewer=reviewer).filter(
        Q(platform_id=appeal.platform_id) | Q(person_id=appeal.appellant_id)
    )
    for conflict in declared:
        if conflict.platform_id is not None and conflict.platform_id == appeal.platform_id:
            reasons.append(_("They declared a conflict of interest with this platform."))
        if conflict.person_id is not None and conflict.person_id == appeal.appellant_id:
            reasons.append(_("They declared a conflict of interest with this appellant."))
    return reasons


def took_decision_on(user: Any, appeal: Any) -> bool:
    """The user decided the case, or approved its decision as the second reviewer,
    including a decision since withdrawn. They keep read access to what they did:
    a conflict of interest stops them acting on the case, not reading it."""
    from appeals.models import Decision

    return (
        Decision.objects.filter(appeal=appeal)
        .filter(Q(decided_by_id=user.pk) | Q(approved_by_id=user.pk))
        .exists()
    )


def can_act_on_case(user: Any, appeal: Any) -> bool:
    """The assigned reviewer, or a supervisor, may act on an assigned case."""
    return appeal.assigned_to_id == user.pk or has_role(user, Role.SUPERVISOR)


# --- Own cases and scope in lists ------------------------------------------------
# Nobody handles, or reads the staff side of, a case they brought themselves: their
# own appeal (DSA Art. 20(6): decisions under the supervision of appropriately
# qualified staff, not of a party) or their own harm report. Every list of cases a
# staff member sees is built from the scopes below, so a case that is theirs is
# left out of all of them, with its assignee and its internal notes.


def staff_appeal_scope(user: Any) -> Q:
    """The appeals ``user`` may see in staff lists: in their jurisdictions, not their own."""
    scope = ~Q(appellant_id=user.pk)
    allowed = reviewer_jurisdiction_ids(user)
    if allowed is not None:
        scope &= Q(jurisdiction_id__in=allowed)
    return scope


def staff_referral_scope(user: Any) -> Q:
    """The referrals ``user`` may see and change: of their jurisdictions only (a report
    naming Germany and France has a French referral a German reviewer must not
    touch), and never those of a report they filed."""
    scope = ~Q(report__filed_by_id=user.pk)
    allowed = reviewer_jurisdiction_ids(user)
    if allowed is not None:
        scope &= Q(jurisdiction_id__in=allowed)
    return scope


def can_see_report_as_staff(user: Any, report: Any) -> bool:
    """One of the report's countries is theirs (all for supervisors), and they did not
    file it."""
    if report.filed_by_id is not None and report.filed_by_id == user.pk:
        return False
    allowed = reviewer_jurisdiction_ids(user)
    if allowed is None:
        return True
    return bool(set(report.jurisdictions.values_list("pk", flat=True)) & allowed)


def can_change_referral(user: Any, referral: Any) -> bool:
    """Record what a platform did with a referral: staff of the referral's own
    jurisdiction (all for supervisors), on a report they did not file."""
    if referral.report.filed_by_id is not None and referral.report.filed_by_id == user.pk:
        return False
    allowed = reviewer_jurisdiction_ids(user)
    return has_role(user, Role.REVIEWER, Role.SUPERVISOR) and (
        allowed is None or referral.jurisdiction_id in allowed
    )


def can_contest_referral(user: Any, referral: Any) -> bool:
    """Contest a platform's refusal: the person who filed the report, or an active
    member of the organisation it was filed for."""
    report = referral.report
    if report.filed_by_id is not None and report.filed_by_id == user.pk:
        return True
    if report.organisation_id is None:
        return False
    from appeals.models import Membership

    # An active membership, as appeals.selectors.organisations.memberships_of reads it.
    return Membership.objects.filter(
        user_id=user.pk,
        organisation_id=report.organisation_id,
        joined_at__isnull=False,
        organisation__verified_at__isnull=False,
    ).exists()


def staff_escalation_scope(user: Any) -> Q:
    """Escalations a supervisor sees: never those of their own appeal, report or sanction."""
    return (
        ~Q(appeal__appellant_id=user.pk)
        & ~Q(report__filed_by_id=user.pk)
        & ~Q(sanction__user_id=user.pk)
    )


def liaison_order_scope(user: Any) -> Q:
    """Retraction orders a platform's liaison sees and acts on: never those of an
    appeal they brought themselves (they would confirm their own remedy)."""
    return ~Q(appeal__appellant_id=user.pk)


def audit_event_scope(user: Any) -> Q:
    """The audit events an auditor may read: every one except those of their own
    appeals and harm reports.

    An auditor who is also an appellant would otherwise read the staff-only events of
    their own case (internal notes, who reviewed it, evidence openings) that the
    appellant's pages deliberately leave out, and would be auditing a case they are a
    party to. Another auditor audits it; the chain check covers every event on the
    server whoever asks for it, so leaving these rows out of what one person reads
    weakens no verification."""
    return ~Q(appeal__appellant_id=user.pk) & ~Q(harm_report__filed_by_id=user.pk)
