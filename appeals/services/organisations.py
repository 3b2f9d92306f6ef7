"""Organisations of advocates: verification, members, trusted-flagger status."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.errors import Refused
from appeals.models import (
    AuditAction,
    Membership,
    Organisation,
    User,
)
from appeals.services.audit import audit_record
from appeals.services.emails import email_send_template


class MembershipRefused(Refused):
    """An organisation's membership cannot be changed so (appeals.errors.Refused)."""


@transaction.atomic
def organisation_verify(*, organisation: Organisation, by: User, basis: str) -> Organisation:
    """Staff record who verified an organisation, when, and on what basis."""
    if not basis.strip():
        raise MembershipRefused(_("Say on what basis the organisation was verified."))
    now = timezone.now()
    Organisation.objects.filter(pk=organisation.pk).update(
        verified_at=now, verified_by=by, verification_basis=basis.strip()
    )
    organisation.refresh_from_db()
    audit_record(
        action=AuditAction.ORGANISATION_VERIFIED,
        actor=by,
        target=organisation,
        details={"basis": basis.strip()},
        occurred_at=now,
    )
    return organisation


@transaction.atomic
def member_invite(
    *, organisation: Organisation, email: str, role: Membership.Role, by: User
) -> Membership:
    """An organisation's administrator invites someone by email; they join when they sign in."""
    if not Membership.objects.filter(
        organisation=organisation, user=by, role=Membership.Role.ADMIN, joined_at__isnull=False
    ).exists():
        raise MembershipRefused(_("Only an administrator of the organisation can invite."))
    return _invite(organisation=organisation, email=email, role=role, by=by, by_operator=False)


@transaction.atomic
def member_invite_by_operator(
    *, organisation: Organisation, email: str, role: Membership.Role, by: User
) -> Membership:
    """An operator invites someone to an organisation from the administration (its
    first administrator, typically); the invitation works as an administrator's does."""
    return _invite(organisation=organisation, email=email, role=role, by=by, by_operator=True)


def _invite(
    *, organisation: Organisation, email: str, role: Membership.Role, by: User, by_operator: bool
) -> Membership:
    email = email.strip().lower()
    membership, created = Membership.objects.get_or_create(
        organisation=organisation,
        email=email,
        defaults={"role": role, "invited_by": by},
    )
    if not created:
        raise MembershipRefused(_("This address is already invited or a member."))
    details: dict[str, object] = {"email": email, "role": role, "membership": membership.pk}
    if by_operator:
        details["by_operator"] = True
    audit_record(action=AuditAction.MEMBER_INVITED, actor=by, target=organisation, details=details)
    email_send_template(
        template="member_invited",
        to=[email],
        context={"organisation": organisation, "membership": membership},
        language="en",
    )
    return membership


@transaction.atomic
def member_change_by_operator(*, membership: Membership, changed: list[str], by: User) -> None:
    """An operator edits a membership (its role, or the invited address before it is used)."""
    stored = Membership.objects.select_for_update().get(pk=membership.pk)
    fields = [name for name in ("email", "role") if name in changed]
    changes = {
        name: [getattr(stored, name), getattr(membership, name)]
        for name in fields
        if getattr(stored, name) != getattr(membership, name)
    }
    if not changes:
        return
    if "email" in changes:
        membership.email = membership.email.strip().lower()
        changes["email"][1] = membership.email
    membership.save(update_fields=list(changes))
    audit_record(
        action=AuditAction.MEMBER_CHANGED,
        actor=by,
        target=membership.organisation,
        details={"membership": membership.pk, "email": membership.email, "changes": changes},
    )


@transaction.atomic
def member_remove_by_operator(*, membership: Membership, by: User) -> None:
    """An operator ends a membership or withdraws an invitation."""
    details = {
        "membership": membership.pk,
        "email": membership.email,
        "role": membership.role,
        "had_joined": membership.joined_at is not None,
    }
    organisation = membership.organisation
    membership.delete()
    audit_record(action=AuditAction.MEMBER_REMOVED, actor=by, target=organisation, details=details)


@transaction.atomic
def memberships_activate(*, user: User) -> int:
    """On sign-in, invitations to the user's verified email addresses become memberships.

    Only a proven address joins: an invitation must not reach an account that
    merely claims the address (account pre-hijacking, docs/security.md).
    """
    now = timezone.now()
    verified = EmailAddress.objects.filter(user_id=user.pk, verified=True)
    addresses = [email.lower() for email in verified.values_list("email", flat=True)]
    if not addresses:
        return 0
    pending = list(
        Membership.objects.select_for_update()
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=addresses, user__isnull=True, joined_at__isnull=True)
    )
    for membership in pending:
        membership.user, membership.joined_at = user, now
        membership.save(update_fields=["user", "joined_at"])
        audit_record(
            action=AuditAction.MEMBER_JOINED,
            actor=user,
            target=membership.organisation,
            details={"role": membership.role},
            occurred_at=now,
        )
    return len(pending)
