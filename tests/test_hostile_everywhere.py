"""Hostile input on every URL the census knows, as a person allowed to use it: random
values for every field name any of the portal's forms has. The answer is never a 500,
and a refused write (4xx) leaves the audit trail where it was.

tests/test_hostile_input.py aims at the public forms field by field; this file makes
sure no staff, advocate or liaison form is left out, including ones added later."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

import portal.urls  # noqa: F401  (imports every view, so every form class exists)
from appeals.models import AuditEvent
from tests.test_census import API, ROLES, RULES, _client, allowed
from tests.test_census import world as world  # the census's fixture: one of everything
from tests.test_hostile_input import (
    EDGE_VALUES,
    QUERY_PARAMETERS,
    SETTINGS,
    hostile_text,
    hostile_value,
)

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


# --- Query strings and edge dates (issue 18, finding 9) ----------------------------

GET_TARGETS = sorted(
    (name, role)
    for name, (rule, post_only) in RULES.items()
    if not post_only and rule != API and (role := _someone_allowed(rule)) is not None
)
# The pages that read query parameters, and the parameters each reads: every one is
# sent alone with every edge value, so one refused value cannot hide another.
READS = {
    "review_queue": ["after", "jurisdiction", "platform", "category", "priority", "status"],
    "supervisor_overview": ["after"],
    "audit_trail": ["before", "since", "until", "action", "reference", "actor"],
    "audit_export": ["before", "since", "until", "action", "reference", "actor"],
    "statistics": ["period", "jurisdiction", "platform", "category"],
    "statistics_csv": ["period"],
    "statistics_json": ["period"],
    "letter_verify": ["code"],
}


def test_the_query_sweep_covers_every_page_that_reads_the_query_string() -> None:
    assert set(READS) <= {name for name, _ in GET_TARGETS}
    assert {"review_queue", "audit_trail", "audit_export", "advocate_export"} <= {
        name for name, _ in GET_TARGETS
    }


@pytest.mark.parametrize(("name", "role"), GET_TARGETS)
def test_edge_values_in_every_query_parameter_never_cause_a_server_error(
    world: dict[str, Any], name: str, role: str
) -> None:
    client = _client(world, role)
    url = reverse(name, args=world["args"].get(name, []))
    for value in EDGE_VALUES:
        queries = [{p: value for p in QUERY_PARAMETERS}]
        queries += [{p: value} for p in READS.get(name, [])]
        for query in queries:
            response = client.get(url, query)
            assert response.status_code < 500, (name, query)


@pytest.mark.parametrize(("name", "role"), GET_TARGETS)
def test_random_query_strings_by_an_allowed_person_never_cause_a_server_error(
    world: dict[str, Any], name: str, role: str
) -> None:
    client = _client(world, role)
    url = reverse(name, args=world["args"].get(name, []))

    @SETTINGS
    @given(
        query=st.dictionaries(
            st.sampled_from(sorted({*QUERY_PARAMETERS, *FIELDS})), hostile_text, max_size=6
        )
    )
    def get(query: dict[str, str]) -> None:
        response = client.get(url, query)
        assert response.status_code < 500, (name, query)

    get()


EDGE_DATES = [
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "\uff12\uff10\uff12\uff16-11-02",
    "2026-11-02T10:00:00+14:00",
]
# Every form with a date, the date fields, and the other fields it needs to get that far.
DATE_FORMS = {
    "audit_request_report": (["start", "end"], {"start": "2026-01-01", "end": "2026-12-31"}),
    "liaison_confirm": (["done_on"], {"proof": "Reinstated at the same address."}),
    "filing_details": (
        ["decided_on", "informed_on"],
        {"measures": "content_removed", "informed_on": "2026-11-02"},
    ),
}


def test_every_form_with_a_date_is_in_the_edge_date_sweep() -> None:
    with_dates = {
        form.__name__
        for form in _form_classes(forms.Form)
        if form.__module__.startswith("appeals.")
        and any(
            isinstance(f, forms.DateField | forms.DateTimeField) for f in form.base_fields.values()
        )
    }
    assert with_dates == {
        "AuditFilterForm",
        "PeriodForm",
        "ConfirmForm",
        "DescribeTakedownForm",
        "KnownTakedownForm",
        "_WhenToldMixin",
    }


@pytest.mark.parametrize("name", sorted(DATE_FORMS))
@pytest.mark.parametrize("value", EDGE_DATES)
def test_edge_dates_in_every_form_are_refused_in_the_page_not_with_a_server_error(
    world: dict[str, Any], name: str, value: str
) -> None:
    rule, _ = RULES[name]
    role = _someone_allowed(rule)
    assert role is not None
    client = _client(world, role)
    url = reverse(name, args=world["args"].get(name, []))
    date_fields, others = DATE_FORMS[name]
    for field in date_fields:
        events_before = AuditEvent.objects.count()
        response = client.post(url, {**others, field: value})
        assert response.status_code < 500, (name, field, value)
        if 400 <= response.status_code < 500:
            assert AuditEvent.objects.count() == events_before, (name, field, value)


@pytest.fixture
def api_key(world: dict[str, Any]) -> str:
    from appeals.services.platform_api import platform_token_issue
    from tests.factories import chirp

    return platform_token_issue(platform=chirp(), name="hostile", by=None)[0]


@pytest.mark.parametrize("value", EDGE_VALUES)
def test_edge_values_on_the_api_get_a_json_400_not_a_server_error(
    world: dict[str, Any], api_key: str, value: str
) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    listed = client.get(reverse("api_appeals"), {"after": value})
    assert listed.status_code in (200, 400), value
    if listed.status_code == 400:
        assert "after" in listed.json()["error"]
    confirmed = client.post(
        reverse("api_confirm", args=world["args"]["api_confirm"]),
        json.dumps({"proof": "Reinstated.", "done_at": value}),
        content_type="application/json",
    )
    assert confirmed.status_code in (200, 400, 409), value
    if confirmed.status_code != 200:
        assert confirmed.json()["error"]
