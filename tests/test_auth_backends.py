"""The signed-in user is loaded with their roles, second factor and memberships in
one extra statement; nothing is kept between requests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appeals.accounts.backends import load_user
from appeals.models import Membership, User
from appeals.roles import Role
from appeals.services.roles import role_revoke
from tests.conftest import sign_in
from tests.test_reports import organisation

pytestmark = pytest.mark.django_db


def test_roles_second_factor_and_membership_come_with_the_user(
    make_user: Callable[..., User],
) -> None:
    reviewer = make_user("r@example.org", roles=(Role.REVIEWER, Role.AUDITOR), mfa=True)
    plain = make_user("p@example.org")
    Membership.objects.create(
        organisation=organisation(), user=plain, email=plain.email, joined_at=timezone.now()
    )
    loaded, other = load_user(reviewer.pk), load_user(plain.pk)
    assert loaded is not None and other is not None
    assert loaded._portal_roles == {"reviewer", "auditor"}  # type: ignore[attr-defined]
    assert loaded._portal_has_mfa and not loaded._portal_is_member  # type: ignore[attr-defined]
    assert other._portal_roles == frozenset()  # type: ignore[attr-defined]
    assert not other._portal_has_mfa and other._portal_is_member  # type: ignore[attr-defined]
    assert load_user(10**9) is None


def test_a_revoked_role_counts_from_the_next_request(client: Client, reviewer: User) -> None:
    sign_in(client, reviewer, with_mfa=True)
    assert client.get(reverse("review_queue")).status_code == 200
    role_revoke(user=reviewer, role=Role.REVIEWER, revoked_by=None)
    assert client.get(reverse("review_queue")).status_code == 404


def test_a_staff_page_reads_the_user_and_their_facts_in_two_statements(
    client: Client, reviewer: User
) -> None:
    sign_in(client, reviewer, with_mfa=True)
    client.get(reverse("review_queue"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("review_queue")).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if "mfa_authenticator" in s and "UNION" not in s]
    assert not [s for s in sql if "auth_group" in s and "UNION" not in s]
    assert not [s for s in sql if "appeals_membership" in s and "UNION" not in s]
