from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client, override_settings

from appeals.demo import DEMO_USERS
from appeals.models import AuditEvent, Jurisdiction, Platform, User
from appeals.permissions import user_roles
from appeals.services.demo import DemoDataRefused, demo_seed

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_every_role_and_is_idempotent() -> None:
    call_command("seed_demo", verbosity=0)
    counts = (User.objects.count(), Jurisdiction.objects.count(), Platform.objects.count())
    events = AuditEvent.objects.count()
    call_command("seed_demo", verbosity=0)
    assert (User.objects.count(), Jurisdiction.objects.count(), Platform.objects.count()) == counts
    assert AuditEvent.objects.count() == events
    assert Jurisdiction.objects.count() >= 6
    assert {"DE", "FR", "IE", "NL", "GB", "US"} <= set(
        Jurisdiction.objects.values_list("code", flat=True)
    )
    for demo in DEMO_USERS:
        user = User.objects.get(email=demo.email)
        assert {r.value for r in demo.roles} <= user_roles(user)
        has_totp = Authenticator.objects.filter(user=user, type="totp").exists()
        assert has_totp == demo.needs_mfa


def test_every_demo_password_signs_in() -> None:
    demo_seed()
    for demo in DEMO_USERS:
        assert Client().login(email=demo.email, password=demo.password), demo.email


@override_settings(PRODUCTION=True)
def test_demo_data_is_refused_in_production() -> None:
    with pytest.raises(DemoDataRefused):
        demo_seed()
    assert not User.objects.exists()
