"""Receivers for account events that django-allauth and Django emit: their audit
events, and the rules the portal adds (a password set before the address was proven,
staff session clocks, invitations joining at sign-in)."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import signals as mfa_signals
from django.contrib import messages
from django.contrib.auth import signals as auth_signals
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from appeals.accounts.adapter import password_set_before_proof, remember_signup_password
from appeals.models import AuditAction
from appeals.services.accounts import account_password_disable_unproven
from appeals.services.audit import audit_record


def _record(action: AuditAction, user: Any, **details: Any) -> None:
    if user is None or not getattr(user, "pk", None):
        return
    with transaction.atomic():
        audit_record(action=action, actor=user, target=user, details=details)


@receiver(account_signals.user_signed_up)
def _signed_up(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(AuditAction.ACCOUNT_SIGNED_UP, user)
    remember_signup_password(request, user)


@receiver(auth_signals.user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(AuditAction.ACCOUNT_SIGNED_IN, user)
    if request is not None:
        # A staff session's idle and total clocks start at sign-in (portal.middleware).
        from portal.middleware import staff_session_start

        staff_session_start(request, user)
    # Invitations to this (verified) address become memberships at sign-in.
    from appeals.services.organisations import memberships_activate

    memberships_activate(user=user)


@receiver(auth_signals.user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(AuditAction.ACCOUNT_SIGNED_OUT, user)


@receiver(account_signals.email_confirmed)
def _email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    user = email_address.user
    _record(AuditAction.ACCOUNT_EMAIL_CONFIRMED, user)
    if not password_set_before_proof(request, email_address):
        return
    # Account pre-hijacking: someone may have signed up with this address and a
    # password of their own before its owner proved it (docs/security.md).
    account_password_disable_unproven(user=user, language=(get_language() or "en")[:2])
    if request is None:
        return
    if getattr(request.user, "pk", None) == user.pk:
        update_session_auth_hash(request, user)
    messages.warning(
        request,
        _(
            "Your account had a password that was set before you proved this email "
            "address was yours. Someone else may have chosen it, so we removed it. "
            "You can set a new password on your account page."
        ),
        fail_silently=True,
    )


@receiver(account_signals.password_changed)
@receiver(account_signals.password_set)
def _password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(AuditAction.ACCOUNT_PASSWORD_CHANGED, user)


@receiver(account_signals.password_reset)
def _password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(AuditAction.ACCOUNT_PASSWORD_RESET, user)


@receiver(mfa_signals.authenticator_added)
def _mfa_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _record(AuditAction.ACCOUNT_MFA_ADDED, user, type=authenticator.type)
    if request is not None and authenticator.type != "recovery_codes":
        # Activating an authenticator proves possession of it, so this session
        # counts as signed in with a second factor (see appeals.accounts.gates).
        record_authentication(request, user, "mfa", type=authenticator.type, activated=True)


@receiver(mfa_signals.authenticator_removed)
def _mfa_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _record(AuditAction.ACCOUNT_MFA_REMOVED, user, type=authenticator.type)
