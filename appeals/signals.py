"""Audit receivers for account events that django-allauth and Django emit."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.db import transaction
from django.dispatch import receiver

from appeals.models import AuditAction
from appeals.services.audit import audit_record


def _record(action: AuditAction, user: Any, **details: Any) -> None:
    if user is None or not getattr(user, "pk", None):
        return
    with transaction.atomic():
        audit_record(action=action, actor=user, target=user, details=details)


@receiver(account_signals.user_signed_up)
def _signed_up(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(AuditAction.ACCOUNT_SIGNED_UP, user)


@receiver(auth_signals.user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(AuditAction.ACCOUNT_SIGNED_IN, user)
    # Invitations to this (verified) address become memberships at sign-in.
    from appeals.services.organisations import memberships_activate

    memberships_activate(user=user)


@receiver(auth_signals.user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(AuditAction.ACCOUNT_SIGNED_OUT, user)


@receiver(account_signals.email_confirmed)
def _email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    _record(AuditAction.ACCOUNT_EMAIL_CONFIRMED, email_address.user)


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
        # counts as signed in with a second factor (see appeals.permissions).
        record_authentication(request, user, "mfa", type=authenticator.type, activated=True)


@receiver(mfa_signals.authenticator_removed)
def _mfa_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _record(AuditAction.ACCOUNT_MFA_REMOVED, user, type=authenticator.type)
