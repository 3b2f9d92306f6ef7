"""Granting and revoking staff roles."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from appeals.models import AuditAction, User
from appeals.roles import Role
from appeals.services.audit import audit_record


@transaction.atomic
def role_grant(*, user: User, role: Role, granted_by: User | None) -> bool:
    """Give ``user`` a staff role. Returns False (and records nothing) if they had it."""
    # get_or_create: the data migration made the groups, but a test flush may not keep them.
    group, _ = Group.objects.get_or_create(name=role.value)
    if user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.add(group)
    audit_record(
        action=AuditAction.ROLE_GRANTED,
        actor=granted_by,
        target=user,
        details={"role": role.value},
    )
    return True


@transaction.atomic
def role_revoke(*, user: User, role: Role, revoked_by: User | None) -> bool:
    """Take a staff role away. Returns False (and records nothing) if they did not have it."""
    # get_or_create: the data migration made the groups, but a test flush may not keep them.
    group, _ = Group.objects.get_or_create(name=role.value)
    if not user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.remove(group)
    audit_record(
        action=AuditAction.ROLE_REVOKED,
        actor=revoked_by,
        target=user,
        details={"role": role.value},
    )
    return True


ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser", "email", "password")


@transaction.atomic
def user_save_from_admin(*, user: User, changed: list[str], by: User) -> None:
    """An operator edits an account in the admin; changes to access are audited."""
    created = user.pk is None
    user.save()
    access = [name for name in changed if name in ACCESS_FIELDS]
    if created or access:
        audit_record(
            action=AuditAction.ACCOUNT_ACCESS_CHANGED,
            actor=by,
            target=user,
            details={
                "created": created,
                "changed": access,
                **{name: getattr(user, name) for name in access if name.startswith("is_")},
            },
        )
