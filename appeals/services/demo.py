"""Loading demo data. Idempotent: running it again changes nothing."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.db import transaction

from appeals.demo import DEMO_JURISDICTIONS, DEMO_PLATFORMS, DEMO_TOTP_SECRET, DEMO_USERS
from appeals.models import AuditAction, Jurisdiction, Platform, User
from appeals.services.audit import audit_record
from appeals.services.roles import role_grant


class DemoDataRefused(Exception):
    pass


def demo_seed() -> dict[str, int]:
    """Create the demo jurisdictions, platforms and one account per role.

    Refused in production: demo passwords and the TOTP secret are public.
    """
    if settings.PRODUCTION:
        raise DemoDataRefused("Demo data is never loaded when PORTAL_ENV=production.")
    with transaction.atomic():
        return _seed()


def _seed() -> dict[str, int]:
    created = {"jurisdictions": 0, "platforms": 0, "users": 0}
    for code, name, languages, tz, calendar, eu in DEMO_JURISDICTIONS:
        _, made = Jurisdiction.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "languages": languages,
                "time_zone": tz,
                "holiday_calendar": calendar,
                "is_eu_member": eu,
            },
        )
        created["jurisdictions"] += made
    for slug, name, website in DEMO_PLATFORMS:
        _, made = Platform.objects.get_or_create(
            slug=slug, defaults={"name": name, "website": website}
        )
        created["platforms"] += made
    for demo in DEMO_USERS:
        user = User.objects.filter(email=demo.email).first()
        if user is None:
            user = User.objects.create_user(
                demo.email,
                demo.password,
                full_name=demo.full_name,
                is_staff=demo.is_superuser,
                is_superuser=demo.is_superuser,
            )
            created["users"] += 1
        EmailAddress.objects.get_or_create(
            user=user, email=demo.email, defaults={"verified": True, "primary": True}
        )
        for role in demo.roles:
            role_grant(user=user, role=role, granted_by=None)
        if (
            demo.needs_mfa
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)
    if any(created.values()):
        audit_record(action=AuditAction.DEMO_SEEDED, details=created)
    return created
