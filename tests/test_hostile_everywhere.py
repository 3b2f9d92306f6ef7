"""Hostile input on every URL the census knows, as a person allowed to use it: random
values for every field name any of the portal's forms has. The answer is never a 500,
and a refused write (4xx) leaves the audit trail where it was.

tests/test_hostile_input.py aims at the public forms field by field; this file makes
sure no staff, advocate or liaison form is left out, including ones added later."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

import portal.urls  # noqa: F401  (imports every view, so every form class exists)
from appeals.models import AuditEvent
from tests.test_census import ROLES, RULES, _client, allowed
from tests.test_census import world as world  # the census's fixture: one of everything
from tests.test_hostile_input import SETTINGS, hostile_value

pytestmark = pytest.mark.django_db


def _form_classes(cls: type[forms.Form]) -> Iterator[type[forms.Form]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _form_classes(sub)


FIELDS = sorted(
    {
        name
        for form in _form_classes(forms.Form)
        if form.__module__.startswith("appeals.")
        for name in form.base_fields
    }
)


def _someone_allowed(rule: str) -> str | None:
    return next((r for r in ROLES if r != "anonymous" and allowed(rule, r)), None)


TARGETS = sorted(
    (name, role)
    for name, (rule, _) in RULES.items()
    if (role := _someone_allowed(rule)) is not None
)


def test_the_sweep_covers_the_forms_and_the_urls() -> None:
    assert {"reasons", "proof", "body", "note", "explanation", "grounds"} <= set(FIELDS)
    writes = {name for name, (_, write) in RULES.items() if write and not name.startswith("api")}
    assert writes <= {name for name, _ in TARGETS}


@pytest.mark.parametrize(("name", "role"), TARGETS)
def test_random_posts_by_an_allowed_person_never_cause_a_server_error(
    world: dict[str, Any], name: str, role: str
) -> None:
    client = _client(world, role)
    url = reverse(name, args=world["args"].get(name, []))

    @SETTINGS
    @given(data=st.fixed_dictionaries({}, optional={f: hostile_value for f in FIELDS}))
    def post(data: dict[str, Any]) -> None:
        events_before = AuditEvent.objects.count()
        response = client.post(url, data)
        assert response.status_code < 500, (name, data)
        if 400 <= response.status_code < 500:
            assert AuditEvent.objects.count() == events_before, (name, data)

    post()
