"""Hooks into django-allauth: how account emails leave the portal, and which
session may keep a password chosen before the account's address was proven."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.models import EmailAddress
from django.db import transaction
from django.http import HttpRequest

from appeals.services.emails import email_queue

# The user id whose password was typed at sign-up in this session.
SIGNED_UP_HERE_SESSION_KEY = "portal_signed_up_user"


class PortalAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Rendered now, in the request's language; delivered by a worker after commit.
        message = self.render_mail(template_prefix, email, context)
        with transaction.atomic():
            email_queue(message=message, template=template_prefix)


def remember_signup_password(request: HttpRequest | None, user: Any) -> None:
    """Note that the person in this session chose ``user``'s password at sign-up."""
    if request is not None and user.has_usable_password():
        request.session[SIGNED_UP_HERE_SESSION_KEY] = str(user.pk)


def password_set_before_proof(request: HttpRequest | None, email_address: EmailAddress) -> bool:
    """The address just verified is the account's first, the account has a password,
    and this session did not prove that password (by choosing it at sign-up, or by
    signing in with it). Whoever proved the address may then not be whoever chose
    the password: an account pre-hijack."""
    user = email_address.user
    if not user.has_usable_password():
        return False
    others = EmailAddress.objects.filter(user_id=user.pk, verified=True).exclude(
        pk=email_address.pk
    )
    if others.exists():
        return False  # the password was set when an address was already proven
    if request is None:
        return True
    if request.session.get(SIGNED_UP_HERE_SESSION_KEY) == str(user.pk):
        return False
    records = get_authentication_records(request, user)
    return not any(record.get("method") == "password" for record in records)
