"""Fixtures shared by the whole suite.

Tests run on whatever database DATABASE_URL names (SQLite by default). Tests
marked ``postgresql`` are deselected on SQLite, with a line saying so: they
run in the PostgreSQL pass of ``make test``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.test import Client

from appeals.demo.accounts import DEMO_TOTP_SECRET
from appeals.models import ReviewerProfile, User
from appeals.roles import Role
from appeals.services.roles import role_grant

IN_CI = os.environ.get("CI", "").lower() == "true"


def _database_is_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_report_header(config: pytest.Config) -> str:
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {engine}; CI={'true' if IN_CI else 'false'}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _database_is_postgresql():
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgresql") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
        config._portal_pg_deselected = len(drop)  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    count = getattr(config, "_portal_pg_deselected", 0)
    if count:
        terminalreporter.write_line(
            f"{count} PostgreSQL-only tests deselected: this pass uses SQLite; "
            "they run in the PostgreSQL pass of `make test`."
        )


def require_tool(available: bool, reason: str) -> None:
    """Skip with a reason on a developer machine without the tool; fail in CI."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing tool is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _own_audit_checkpoint_file(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test signs audit checkpoints into its own file: a checkpoint left by one
    test would otherwise name events another test's fresh database never had."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path_factory.mktemp("audit") / "checkpoints.jsonl"


# --- Accounts ------------------------------------------------------------------


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    counter = {"n": 0}

    def make(
        email: str | None = None,
        *,
        password: str | None = "correct horse battery",
        roles: tuple[Role, ...] = (),
        mfa: bool = False,
        is_staff: bool = False,
        is_superuser: bool = False,
        jurisdictions: tuple[str, ...] = ("DE",),
        workload_cap: int = 30,
    ) -> User:
        counter["n"] += 1
        email = email or f"person{counter['n']}@example.org"
        user = User.objects.create_user(
            email, password, is_staff=is_staff or is_superuser, is_superuser=is_superuser
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        for role in roles:
            role_grant(user=user, role=role, granted_by=None)
        if Role.REVIEWER in roles:
            from tests.factories import jurisdiction

            profile = ReviewerProfile.objects.create(
                user=user, languages=["en", "fr", "de"], workload_cap=workload_cap
            )
            profile.jurisdictions.set([jurisdiction(code) for code in jurisdictions])
        if mfa:
            TOTP.activate(user, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)
        return user

    return make


def sign_in(client: Client, user: User, *, with_mfa: bool = False) -> Client:
    """Sign ``user`` in on ``client``; with_mfa records a second factor in the session,
    as allauth does after the TOTP step (tests/test_accounts.py drives the real flow)."""
    client.force_login(user)
    if with_mfa:
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": 0, "email": user.email},
            {"method": "mfa", "at": 0, "type": "totp"},
        ]
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
        session.save()
    return client


@pytest.fixture
def appellant(make_user: Callable[..., User]) -> User:
    return make_user("appellant-a@example.org")


@pytest.fixture
def reviewer(make_user: Callable[..., User]) -> User:
    return make_user("reviewer-x@example.org", roles=(Role.REVIEWER,), mfa=True)
