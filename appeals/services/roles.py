"""Staff roles, and what operators do to accounts (in the admin)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
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
# Fields an operator's edit records old and new; a password is only named as changed.
_RECORDED_FIELDS = ("email", "full_name", "is_active", "is_staff", "is_superuser")
# The trail is never anonymised: a person's name is recorded as changed, not its values.
# (The address is kept: who can sign in is what an account takeover changes.)
_NAMED_AS_CHANGED = frozenset({"full_name"})


@transaction.atomic
def user_save_from_admin(*, user: User, changed: list[str], by: User) -> None:
    """An operator edits an account in the admin. Every change is audited, with old and
    new values (a name only as changed); a change of access (who may sign in, staff,
    superuser, the address or the password) as an access change."""
    created = user.pk is None
    stored = None if created else User.objects.filter(pk=user.pk).first()
    user.save()
    fields = [name for name in changed if name in _RECORDED_FIELDS]
    changes: dict[str, object] = {
        name: "changed"
        if name in _NAMED_AS_CHANGED
        else [getattr(stored, name) if stored else None, getattr(user, name)]
        for name in fields
        if stored is None or getattr(stored, name) != getattr(user, name)
    }
    if "password" in changed or {"password1", "password2"} & set(changed):
        # Says it changed, never the value.
        changes["password"] = "changed"  # noqa: S105  # nosec B105
    access = [name for name in changed if name in ACCESS_FIELDS]
    if not (created or access or changes):
        return
    audit_record(
        action=AuditAction.ACCOUNT_ACCESS_CHANGED
        if created or access
        else AuditAction.ACCOUNT_EDITED,
        actor=by,
        target=user,
        details={
            "created": created,
            "changed": access,
            "changes": changes,
            **{name: getattr(user, name) for name in access if name.startswith("is_")},
        },
    )


@transaction.atomic
def user_password_set_by_operator(*, user: User, password: str | None, by: User) -> None:
    """An operator sets an account's password (``None``: disables password sign-in).

    The event says who did it and whether a password now works; never the password.
    An operator who sets someone's password can sign in as them: this is the record.
    """
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        action=AuditAction.ACCOUNT_PASSWORD_SET_BY_OPERATOR,
        actor=by,
        target=user,
        details={"usable": password is not None, "own_account": user.pk == by.pk},
    )


@transaction.atomic
def users_delete_by_operator(*, users: list[User], by: User) -> int:
    """An operator deletes accounts (ones nothing in the trail refers to: the audit
    trail's keys protect every other)."""
    for user in users:
        details = {"model": "appeals.user", "id": user.pk, "email": user.email}
        user.delete()
        audit_record(action=AuditAction.ACCOUNT_DELETED, actor=by, details=details)
    return len(users)


# --- allauth's records, when an operator edits them in the admin ---------------------------


@transaction.atomic
def email_address_save_by_operator(
    *, address: EmailAddress, changed: list[str], by: User
) -> EmailAddress:
    """An operator adds or edits a sign-in address (which one, whether it is verified or
    primary): an access change of that account, old and new values recorded."""
    created = address.pk is None
    stored = None if created else EmailAddress.objects.filter(pk=address.pk).first()
    address.save()
    fields = [name for name in ("email", "verified", "primary", "user") if name in changed]
    changes = {
        name: [
            getattr(stored, f"{name}_id" if name == "user" else name) if stored else None,
            getattr(address, f"{name}_id" if name == "user" else name),
        ]
        for name in fields
    }
    audit_record(
        action=AuditAction.ACCOUNT_ACCESS_CHANGED,
        actor=by,
        target=address.user,
        details={"email_address": address.pk, "created": created, "changes": changes},
    )
    return address


@transaction.atomic
def email_addresses_verify_by_operator(*, addresses: list[EmailAddress], by: User) -> int:
    """An operator marks addresses verified (allauth's admin action, with the operator as
    the actor: the owner proved nothing)."""
    count = 0
    for address in addresses:
        if address.verified:
            continue
        address.verified = True
        address.save(update_fields=["verified"])
        audit_record(
            action=AuditAction.ACCOUNT_ACCESS_CHANGED,
            actor=by,
            target=address.user,
            details={"email_address": address.pk, "changes": {"verified": [False, True]}},
        )
        count += 1
    return count


@transaction.atomic
def email_addresses_delete_by_operator(*, addresses: list[EmailAddress], by: User) -> int:
    for address in addresses:
        user, details = address.user, {"email_address": address.pk, "email": address.email}
        address.delete()
        audit_record(
            action=AuditAction.ACCOUNT_ACCESS_CHANGED,
            actor=by,
            target=user,
            details={**details, "deleted": True},
        )
    return len(addresses)


@transaction.atomic
def authenticators_remove_by_operator(*, authenticators: list[Authenticator], by: User) -> int:
    """An operator removes a second factor (a staff member lost their phone); they must
    set up a new one before staff pages open again."""
    for authenticator in authenticators:
        user, kind = authenticator.user, authenticator.type
        authenticator.delete()
        audit_record(
            action=AuditAction.ACCOUNT_MFA_REMOVED,
            actor=by,
            target=user,
            details={"type": kind, "by_operator": True},
        )
    return len(authenticators)
