"""Operators staff production and edit reference data in the admin; every change is
in the audit trail with what changed, and the password form never records a password."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from appeals.models import (
    AuditAction,
    AuditEvent,
    ReviewerProfile,
    User,
)
from tests.conftest import sign_in
from tests.factories import jurisdiction

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(make_user: Callable[..., User]) -> User:
    return make_user("operator@example.org", is_superuser=True, mfa=True)


@pytest.fixture
def admin_client(operator: User) -> Client:
    return sign_in(Client(), operator, with_mfa=True)


def test_a_reviewer_profile_created_in_the_admin_with_jurisdictions_is_in_the_trail(
    admin_client: Client, operator: User, make_user: Callable[..., User]
) -> None:
    newcomer = make_user("new-reviewer@example.org")
    germany, france = jurisdiction("DE"), jurisdiction("FR")
    response = admin_client.post(
        reverse("admin:appeals_reviewerprofile_add"),
        {
            "user": newcomer.pk,
            "jurisdictions": [germany.pk, france.pk],
            "languages": ["de", "fr"],
            "workload_cap": "12",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = ReviewerProfile.objects.get(user=newcomer)
    assert set(profile.jurisdictions.values_list("code", flat=True)) == {"DE", "FR"}
    event = AuditEvent.objects.get(action=AuditAction.REFERENCE_CREATED, user=newcomer)
    assert event.actor == operator
    assert event.details["model"] == "appeals.reviewerprofile"
    assert event.details["id"] == profile.pk
    assert event.details["changes"]["jurisdictions"] == [[], sorted([germany.pk, france.pk])]
    assert event.details["changes"]["workload_cap"] == [None, 12]

    response = admin_client.post(
        reverse("admin:appeals_reviewerprofile_change", args=[profile.pk]),
        {
            "user": newcomer.pk,
            "jurisdictions": [france.pk],
            "languages": ["de", "fr"],
            "workload_cap": "20",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    changed = AuditEvent.objects.get(action=AuditAction.REFERENCE_CHANGED, user=newcomer)
    assert changed.details["changes"] == {
        "jurisdictions": [sorted([germany.pk, france.pk]), [france.pk]],
        "workload_cap": [12, 20],
    }


def test_every_admin_page_opens_on_the_demo_data(admin_client: Client) -> None:
    from io import StringIO

    from django.contrib import admin
    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert changelist.status_code == 200, model.__name__
        first = model_admin.get_queryset(changelist.wsgi_request).first()
        if first is not None:
            page = admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            assert page.status_code == 200, model.__name__
        if model_admin.has_add_permission(changelist.wsgi_request):
            assert admin_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200


def test_the_demo_has_a_row_of_every_staffing_kind() -> None:
    from io import StringIO

    from django.core.management import call_command

    from appeals.models import ConflictDeclaration, FourEyesRule, LiaisonProfile

    call_command("seed_demo", stdout=StringIO())
    for model in (ReviewerProfile, LiaisonProfile, FourEyesRule, ConflictDeclaration):
        assert model.objects.exists(), model.__name__


def test_a_four_eyes_rule_with_an_unknown_outcome_is_refused_in_the_form(
    admin_client: Client,
) -> None:
    from appeals.models import FourEyesRule

    response = admin_client.post(
        reverse("admin:appeals_foureyesrule_add"),
        {"name": "Typo", "outcomes": ["reversd"], "active": "on"},
    )
    assert response.status_code == 200
    assert "outcomes" in response.context["adminform"].form.errors
    assert not FourEyesRule.objects.filter(name="Typo").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.REFERENCE_CREATED).exists()


def test_inviting_an_address_twice_in_the_admin_is_a_form_error(
    admin_client: Client, operator: User
) -> None:
    from appeals.models import Membership, Organisation
    from appeals.services.organisations import member_invite_by_operator
    from tests.admin_forms import form_data

    organisation = Organisation.objects.create(name="Harbour", country=jurisdiction("DE"))
    member_invite_by_operator(
        organisation=organisation,
        email="twice@example.org",
        role=Membership.Role.MEMBER,
        by=operator,
    )
    url = reverse("admin:appeals_organisation_change", args=[organisation.pk])
    data = form_data(admin_client, url)
    data.update(
        {
            "members-TOTAL_FORMS": "2",
            "members-1-email": "Twice@Example.org",
            "members-1-role": "member",
            "members-1-organisation": str(organisation.pk),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert Membership.objects.filter(organisation=organisation).count() == 1


def test_an_operator_renaming_an_account_is_audited_without_the_names(
    admin_client: Client, operator: User, make_user: Callable[..., User]
) -> None:
    from tests.admin_forms import form_data

    person = make_user("renamed@example.org")
    url = reverse("admin:appeals_user_change", args=[person.pk])
    response = admin_client.post(url, form_data(admin_client, url, full_name="Jo Example"))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_EDITED, user=person)
    assert event.actor == operator and event.details["changes"] == {"full_name": "changed"}
    assert "Jo Example" not in str(event.details)
