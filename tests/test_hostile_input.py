"""Hostile input: whatever a person sends, the answer is a page with errors (or a
400), never a 500, and a refused submission stores nothing. Text that looks like
markup is shown as text in pages, emails and letters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appeals.models import Appeal, AppealDraft, AppealMessage, HarmReport, User
from appeals.services.appeals import appeal_message_post
from tests.conftest import sign_in
from tests.factories import chirp, claimed_appeal, file_appeal, germany

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "{{ 7*7 }}{% debug %}",
]

# Values that broke pages before (issue 18, finding 9) and their neighbours: digits that
# str.isdigit() accepts but int() refuses or that are not ASCII, numbers past any column,
# dates at the ends of the calendar (where a day more, or a time zone, overflows) and
# offsets of +-14:00 (Kiribati, Baker Island), and cursors built from all of these.
EDGE_VALUES = [
    "\u00b2",  # superscript two
    "\u00b9\u00b2\u00b3",
    "\u0663",  # Arabic-Indic three: int() takes it, the URL never has it
    "\uff11\uff12",  # fullwidth 12
    "0",
    "-1",
    "1_000",
    " 7 ",
    "99999999999999999999999999",
    str(2**63),
    "1e999",
    "nan",
    "-inf",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "2026-11-02T10:00:00+14:00",
    "2026-11-02T10:00:00-14:00",
    "2026-11-02T10:00:00+24:00",
    "9999-12",
    "9999-Q4",
    "\uff12\uff10\uff12\uff16",  # a fullwidth year
    "1e308_1_1",
    "nan_1_1",
    "-99999999999_1_1",
    "1790000000.000000_\u00b2_1",
    "1790000000.000000_1_99999999999999999999999",
    "253402300800.000000_1_1",  # 10000-01-01: past datetime's range
]
edge_value = st.sampled_from(EDGE_VALUES)

hostile_text = st.one_of(
    edge_value,
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50),
    st.sampled_from(XSS),
    st.just("\x00null byte\x00"),
    st.just("x" * 30_000),
    st.just("😀" * 500),
)
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, max_size=3))

FIELDS = {
    "filing_takedown": ["platform", "platform_reference", "jurisdiction"],
    "filing_details": [
        "measures",
        "content_url",
        "decision_ground",
        "rule_cited",
        "decided_on",
        "informed_on",
        "late_reason",
        "statement_text",
    ],
    "filing_grounds": ["grounds", "remedies", "language"],
    "appeal_message": ["body"],
    "report_new": [
        "categories",
        "explanation",
        "jurisdictions",
        "requested_actions",
        "victim_reference",
        "consent_given_by",
        "consent_scope",
        "reporter_name",
        "reporter_email",
        "good_faith",
        "loc-TOTAL_FORMS",
        "loc-INITIAL_FORMS",
        "loc-0-url",
        "loc-0-platform",
        "loc-0-sha256",
    ],
    "report_track": ["reference", "pin"],
}

# Every query parameter a page of the portal reads, and the paging names people try.
QUERY_PARAMETERS = [
    "period",
    "jurisdiction",
    "platform",
    "category",
    "priority",
    "status",
    "assigned",
    "action",
    "reference",
    "actor",
    "since",
    "until",
    "start",
    "end",
    "after",
    "before",
    "cursor",
    "page",
    "code",
    "next",
]

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def owner_client(appellant: User) -> tuple[Client, dict[str, list[Any]]]:
    germany()
    chirp()
    appeal = file_appeal(appellant)
    draft = AppealDraft.objects.create(
        owner=appellant,
        answers={"takedown": {"platform": "chirp", "platform_reference": "", "jurisdiction": "DE"}},
    )
    args = {
        "filing_takedown": [draft.pk],
        "filing_details": [draft.pk],
        "filing_grounds": [draft.pk],
        "appeal_message": [appeal.reference],
        "report_new": [],
        "report_track": [],
    }
    return sign_in(Client(), appellant), args


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_random_posts_never_cause_a_server_error(
    owner_client: tuple[Client, dict[str, list[Any]]], name: str
) -> None:
    client, args = owner_client
    url = reverse(name, args=args[name])

    @SETTINGS
    @given(data=st.fixed_dictionaries({}, optional={f: hostile_value for f in FIELDS[name]}))
    def post(data: dict[str, Any]) -> None:
        reports_before = HarmReport.objects.count()
        response = client.post(url, data)
        assert response.status_code < 500, (name, data)
        if response.status_code >= 400:
            assert HarmReport.objects.count() == reports_before  # nothing half-stored

    post()


@SETTINGS
@given(
    params=st.dictionaries(
        st.sampled_from(QUERY_PARAMETERS),
        hostile_text,
        max_size=4,
    )
)
def test_random_query_strings_never_cause_a_server_error(params: dict[str, str]) -> None:
    client = Client()
    for name in PUBLIC_QUERY_PAGES:
        response = client.get(reverse(name), params)
        assert response.status_code < 500, (name, params)


PUBLIC_QUERY_PAGES = (
    "statistics",
    "statistics_json",
    "statistics_csv",
    "letter_verify",
    "report_track",
)


@pytest.mark.parametrize("value", EDGE_VALUES)
def test_edge_values_in_public_query_strings_never_cause_a_server_error(value: str) -> None:
    client = Client()
    for name in PUBLIC_QUERY_PAGES:
        for params in [
            {p: value for p in QUERY_PARAMETERS},
            *({p: value} for p in QUERY_PARAMETERS),
        ]:
            response = client.get(reverse(name), params)
            assert response.status_code < 500, (name, params)


def test_markup_typed_by_people_is_shown_as_text_everywhere(
    appellant: User, reviewer: User, django_capture_on_commit_callbacks: Callable
) -> None:
    payload = "".join(XSS)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = claimed_appeal(appellant, reviewer, grounds=payload)
        appeal_message_post(appeal=appeal, author=appellant, body=payload)
    pages = [
        sign_in(Client(), appellant).get(reverse("appeal_detail", args=[appeal.reference])),
        sign_in(Client(), reviewer, with_mfa=True).get(
            reverse("review_case", args=[appeal.reference])
        ),
    ]
    for page in pages:
        html = page.content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x onerror" not in html and "<svg/onload" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for message in mail.outbox:
        for body, _mime in getattr(message, "alternatives", []):
            assert "<script>alert(1)" not in str(body)
    assert Appeal.objects.get(pk=appeal.pk).grounds == payload  # stored as typed
    assert AppealMessage.objects.filter(appeal=appeal, body=payload).exists()


def test_a_null_byte_is_refused_in_the_page_and_the_rest_is_kept(
    owner_client: tuple[Client, dict[str, list[Any]]],
) -> None:
    # Found by the random posts above on PostgreSQL, whose JSON cannot hold NUL.
    client, args = owner_client
    response = client.post(
        reverse("filing_takedown", args=args["filing_takedown"]),
        {"platform": "chirp", "platform_reference": "case\x00 42", "jurisdiction": "DE"},
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    draft = AppealDraft.objects.get(pk=args["filing_takedown"][0])
    assert draft.answers["raw"]["takedown"]["platform_reference"] == ["case 42"]
    assert (
        'value="case 42"'
        in client.get(reverse("filing_takedown", args=args["filing_takedown"])).content.decode()
    )
