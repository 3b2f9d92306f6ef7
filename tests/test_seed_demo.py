from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client, override_settings

from appeals.demo.accounts import DEMO_USERS
from appeals.demo.seed import DemoDataRefused, demo_seed
from appeals.models import AuditEvent, Jurisdiction, Platform, User
from appeals.permissions import user_roles

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


def test_the_demo_holds_the_seams_between_features() -> None:
    """What the role walk (tests/test_role_walk.py) must find on the staff pages."""
    from appeals.models import (
        AppealMessage,
        AppealStatus,
        DecisionProposal,
        Escalation,
        Retraction,
        RetractionStatus,
    )

    demo_seed()
    open_kinds = set(
        Escalation.objects.filter(handled_at__isnull=True).values_list("kind", flat=True)
    )
    assert open_kinds == set(Escalation.Kind.values)
    returned = DecisionProposal.objects.get(state=DecisionProposal.State.RETURNED)
    assert returned.comments and returned.appeal.status == AppealStatus.UNDER_REVIEW
    answered = AppealMessage.objects.filter(
        kind=AppealMessage.Kind.INFORMATION_REQUEST, answered_at__isnull=False
    ).get()
    assert answered.appeal.status == AppealStatus.UNDER_REVIEW
    disputed = Retraction.objects.get(status=RetractionStatus.DISPUTED)
    assert disputed.dispute_reason
    assert User.objects.get(email="reviewer@example.org").decisions.exists()
