"""Authenticator-app codes through django-allauth's TOTP internals (used by the demo)."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value


def totp_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows at ``at`` (now if None) for ``secret``."""
    counter = int(at if at is not None else time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def totp_activate(user: Any, secret: str) -> None:
    """Give ``user`` an authenticator app with ``secret``, and recovery codes."""
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
