"""Account safety rules the portal adds to django-allauth's flows."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from appeals.models import AuditAction, User
from appeals.services.audit import audit_record
from appeals.services.emails import email_send_template


@transaction.atomic
def account_password_disable_unproven(*, user: User, language: str) -> bool:
    """Remove a password that was set before anyone proved the account's address.

    Sign-up takes a password before the address is verified, so anyone can create
    an account for someone else's address and choose its password (account
    pre-hijacking). When the real owner later proves the address, by a sign-in
    code or a password reset, that password would otherwise keep working for
    whoever chose it. The owner is told by email, in the language they signed in
    with, how to set a password of their own. Returns False if there was none.
    """
    if not user.has_usable_password():
        return False
    user.set_unusable_password()
    user.save(update_fields=["password"])
    audit_record(
        action=AuditAction.ACCOUNT_PASSWORD_DISABLED,
        actor=user,
        target=user,
        details={"reason": "set_before_verification"},
    )
    email_send_template(
        template="password_disabled",
        to=[user.email],
        context={"set_password_path": reverse("account_set_password")},
        language=language,
    )
    return True
