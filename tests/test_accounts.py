from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from appeals.demo.accounts import demo_totp_code
from appeals.models import AuditAction, AuditEvent, User
from appeals.roles import Role
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def code_from_last_email() -> str:
    body = mail.outbox[-1].body
    match = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


def test_a_new_person_signs_up_with_only_an_email_and_a_code(
    client: Client, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), {"email": "new@example.org"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new@example.org"]
    code = code_from_last_email()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response.url, {"code": code})
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert not user.has_usable_password()
    assert client.get(reverse("my_cases")).status_code == 200
    actions = set(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert {
        AuditAction.ACCOUNT_SIGNED_UP,
        AuditAction.ACCOUNT_EMAIL_CONFIRMED,
        AuditAction.ACCOUNT_SIGNED_IN,
    } <= actions


def test_an_appellant_signs_in_by_emailed_code_without_a_password(
    client: Client, make_user: Callable[..., User], django_capture_on_commit_callbacks: Callable
) -> None:
    make_user("coded@example.org", password=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_request_login_code"), {"email": "coded@example.org"}
        )
    assert response.status_code == 302
    code = code_from_last_email()
    response = client.post(response.url, {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("my_cases")).status_code == 200


def test_a_wrong_sign_in_code_is_refused_with_a_message(
    client: Client, make_user: Callable[..., User], django_capture_on_commit_callbacks: Callable
) -> None:
    make_user("coded@example.org", password=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_request_login_code"), {"email": "coded@example.org"}
        )
    response = client.post(response.url, {"code": "WRONG1"})
    assert response.status_code == 200
    assert b"Incorrect code" in response.content
    assert client.get(reverse("my_cases")).status_code == 302


def test_staff_sign_in_asks_for_the_authenticator_code_and_then_opens_the_staff_area(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user("rev@example.org", roles=(Role.REVIEWER,), mfa=True)
    response = client.post(
        reverse("account_login"), {"login": "rev@example.org", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("staff_home")).status_code == 302  # not signed in yet

    response = client.post(reverse("mfa_authenticate"), {"code": demo_totp_code()})
    assert response.status_code == 302
    page = client.get(reverse("staff_home"))
    assert page.status_code == 200
    assert "Reviewer" in page.content.decode()


def test_staff_without_two_step_verification_are_sent_to_set_it_up(
    client: Client, make_user: Callable[..., User]
) -> None:
    sign_in(client, make_user(roles=(Role.AUDITOR,)))
    response = client.get(reverse("staff_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_staff_who_have_not_used_their_second_factor_this_session_must_confirm_it(
    client: Client, reviewer: User
) -> None:
    sign_in(client, reviewer, with_mfa=False)
    response = client.get(reverse("staff_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_reauthenticate"))


def test_the_staff_area_is_hidden_from_people_without_a_role(
    client: Client, appellant: User
) -> None:
    sign_in(client, appellant)
    assert client.get(reverse("staff_home")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_for_staff_and_case_pages(client: Client) -> None:
    for name in ("staff_home", "my_cases"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_the_admin_login_goes_through_allauth(client: Client) -> None:
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_admin_needs_the_second_factor_even_for_a_superuser(
    client: Client, make_user: Callable[..., User]
) -> None:
    operator = make_user(is_superuser=True, mfa=True)
    sign_in(client, operator, with_mfa=False)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa_reauthenticate"))

    sign_in(client, operator, with_mfa=True)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_ignores_a_next_address_on_another_site(
    client: Client, make_user: Callable[..., User]
) -> None:
    sign_in(client, make_user(is_superuser=True, mfa=True), with_mfa=True)
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_repeated_wrong_passwords_are_rate_limited(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user("target@example.org")
    statuses = []
    for _ in range(8):
        response = client.post(
            reverse("account_login"), {"login": "target@example.org", "password": "wrong-guess"}
        )
        statuses.append(response.status_code)
    assert 429 in statuses or b"Too many failed login attempts" in response.content


def test_granting_a_role_is_audited(make_user: Callable[..., User]) -> None:
    user = make_user(roles=(Role.SUPERVISOR,))
    event = AuditEvent.objects.get(action=AuditAction.ROLE_GRANTED, user=user)
    assert event.details == {"role": "supervisor"}
