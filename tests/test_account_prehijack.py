"""Account pre-hijacking (issue 18, finding 1).

Someone signs up with another person's address and a password of their choosing;
they cannot prove the address, so the account waits. When the real owner later
signs in by emailed code, allauth marks the address verified. The password that
was set before the address was proven must not work from then on, and an
invitation to join an organisation must not reach whoever chose it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from appeals.models import AuditAction, AuditEvent, Membership, Organisation, User
from tests.factories import jurisdiction
from tests.test_accounts import code_from_last_email

pytestmark = pytest.mark.django_db

VICTIM = "owner@example.org"
ATTACKER_PASSWORD = "attacker chose this 42"


def _attacker_signs_up(on_commit: Callable) -> Client:
    attacker = Client()
    with on_commit(execute=True):
        response = attacker.post(
            reverse("account_signup"), {"email": VICTIM, "password1": ATTACKER_PASSWORD}
        )
    assert response.status_code == 302  # waits for a code sent to the owner's mailbox
    assert attacker.get(reverse("my_cases")).status_code == 302
    return attacker


def _owner_signs_in_by_code(on_commit: Callable, language: str = "en") -> tuple[Client, object]:
    owner = Client(headers={"accept-language": language})
    with on_commit(execute=True):
        response = owner.post(reverse("account_request_login_code"), {"email": VICTIM})
    assert response.status_code == 302
    code = code_from_last_email()
    with on_commit(execute=True):
        response = owner.post(response.url, {"code": code})
    assert response.status_code == 302
    return owner, response


def _password_sign_in(password: str) -> Client:
    client = Client()
    client.post(reverse("account_login"), {"login": VICTIM, "password": password})
    return client


def test_a_password_chosen_before_the_owner_proved_the_address_stops_working(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    waiting = _attacker_signs_up(django_capture_on_commit_callbacks)
    owner, _ = _owner_signs_in_by_code(django_capture_on_commit_callbacks)
    assert owner.get(reverse("my_cases")).status_code == 200

    # The sign-up still waiting in the attacker's session does not finish by itself
    # now that the address is verified.
    waiting.get(reverse("account_email_verification_sent"))
    waiting.post(reverse("account_email_verification_sent"), {"code": "WRONG1"})
    assert waiting.get(reverse("my_cases")).status_code == 302

    user = User.objects.get(email=VICTIM)
    assert not user.has_usable_password()
    attacker = _password_sign_in(ATTACKER_PASSWORD)
    assert attacker.get(reverse("my_cases")).status_code == 302
    assert attacker.get(reverse("advocate_dashboard")).status_code in (302, 404)
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_PASSWORD_DISABLED)
    assert event.actor_id == user.pk and event.details == {"reason": "set_before_verification"}


def test_the_owner_is_told_by_email_and_on_the_page_how_to_set_a_password(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    _attacker_signs_up(django_capture_on_commit_callbacks)
    owner, response = _owner_signs_in_by_code(django_capture_on_commit_callbacks)

    notice = [m for m in mail.outbox if "password" in m.subject.lower()]
    assert len(notice) == 1 and notice[0].to == [VICTIM]
    assert "before you proved" in notice[0].body
    assert reverse("account_set_password") in notice[0].body
    page = owner.get(response.url).content.decode()
    assert "before you proved" in page


def test_the_notice_is_written_in_the_owners_language(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    """Needs the fr entries of /work/tr/acct.fr.po merged into locale/ (the subject)."""
    _attacker_signs_up(django_capture_on_commit_callbacks)
    _owner_signs_in_by_code(django_capture_on_commit_callbacks, language="fr")
    notice = mail.outbox[-1]
    assert notice.subject == "Un mot de passe a été retiré de votre compte"


def test_an_invitation_to_the_address_does_not_reach_the_password_chosen_before(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    _attacker_signs_up(django_capture_on_commit_callbacks)
    organisation = Organisation.objects.create(name="Helpline", country=jurisdiction("DE"))
    Membership.objects.create(organisation=organisation, email=VICTIM)

    _owner_signs_in_by_code(django_capture_on_commit_callbacks)
    assert Membership.objects.get(email=VICTIM).user == User.objects.get(email=VICTIM)

    attacker = _password_sign_in(ATTACKER_PASSWORD)
    assert "_auth_user_id" not in attacker.session
    assert attacker.get(reverse("advocate_dashboard")).status_code in (302, 404)


def test_someone_who_signs_up_with_a_password_and_proves_the_address_keeps_it(
    client: Client, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"), {"email": VICTIM, "password1": ATTACKER_PASSWORD}
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response.url, {"code": code_from_last_email()})
    assert response.status_code == 302
    assert User.objects.get(email=VICTIM).has_usable_password()
    assert "_auth_user_id" in _password_sign_in(ATTACKER_PASSWORD).session
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_PASSWORD_DISABLED).exists()


def test_a_password_proven_in_the_session_that_verifies_the_address_is_kept(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    """An operator-made account with a password: its holder signs in with it, then
    proves the address in the same session."""
    User.objects.create_user(VICTIM, ATTACKER_PASSWORD)
    holder = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = holder.post(
            reverse("account_login"), {"login": VICTIM, "password": ATTACKER_PASSWORD}
        )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = holder.post(response.url, {"code": code_from_last_email()})
    assert response.status_code == 302
    assert holder.get(reverse("my_cases")).status_code == 200
    assert User.objects.get(email=VICTIM).has_usable_password()


def test_an_invitation_joins_only_through_a_verified_address(
    make_user: Callable[..., User],
) -> None:
    from allauth.account.models import EmailAddress

    from appeals.services.organisations import memberships_activate

    user = make_user("holder@example.org")
    EmailAddress.objects.filter(user=user).update(verified=False)
    organisation = Organisation.objects.create(name="Helpline", country=jurisdiction("DE"))
    Membership.objects.create(organisation=organisation, email="holder@example.org")
    assert memberships_activate(user=user) == 0
    EmailAddress.objects.filter(user=user).update(verified=True)
    assert memberships_activate(user=user) == 1
