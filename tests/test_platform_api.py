from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openapi_spec_validator import validate

from appeals.api_schema import SCHEMA
from appeals.models import AuditAction, Platform, Retraction, RetractionStatus, Takedown, User
from appeals.services.decisions import appeal_decide
from appeals.services.platform_api import platform_token_issue
from tests.conftest import sign_in
from tests.factories import chirp, claimed_appeal, decision_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def key() -> str:
    token, _ = platform_token_issue(platform=chirp(), name="tests", by=None)
    return token


def api(
    method: str, name: str, key: str | None, args: list[Any] | None = None, body: Any = None
) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    url = reverse(name, args=args or [])
    client = Client(enforce_csrf_checks=True)
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def ordered(appellant: User, reviewer: User) -> Retraction:
    appeal = claimed_appeal(appellant, reviewer)
    appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    return Retraction.objects.get(appeal=appeal)


def test_the_schema_is_valid_openapi_and_names_every_endpoint(key: str) -> None:
    validate(SCHEMA)
    served = api("get", "api_openapi", key).json()
    assert served == SCHEMA
    assert set(SCHEMA["paths"]) == {
        "/appeals",
        "/retractions",
        "/retractions/{id}/confirm",
        "/retractions/{id}/dispute",
        "/statements",
    }


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc", "Bearer "])
def test_a_request_without_a_valid_key_gets_401(header: str | None) -> None:
    client = Client()
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(reverse("api_appeals"), **extra)
    assert response.status_code == 401 and "error" in response.json()
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_is_not_a_key(appellant: User) -> None:
    client = sign_in(Client(), appellant)
    assert client.get(reverse("api_appeals")).status_code == 401
    assert (
        client.post(
            reverse("api_statements"), data="{}", content_type="application/json"
        ).status_code
        == 401
    )


def test_a_revoked_key_stops_working(key: str) -> None:
    from appeals.models import PlatformToken

    PlatformToken.objects.update(revoked_at=timezone.now())
    assert api("get", "api_appeals", key).status_code == 401


def test_a_platform_sees_its_appeals_and_not_other_platforms(
    key: str, appellant: User, reviewer: User
) -> None:
    mine = claimed_appeal(appellant, reviewer)
    other_platform = Platform.objects.create(slug="other", name="Other")
    other_token, _ = platform_token_issue(platform=other_platform, name="x", by=None)
    data = api("get", "api_appeals", key).json()
    assert [a["reference"] for a in data["appeals"]] == [mine.reference]
    assert api("get", "api_appeals", other_token).json()["appeals"] == []
    assert api("get", "api_appeals", key, body=None).json()["next_after"] is None


def test_a_platform_confirms_an_order_with_proof(key: str, appellant: User, reviewer: User) -> None:
    order = ordered(appellant, reviewer)
    listed = api("get", "api_retractions", key).json()["retractions"]
    assert [r["id"] for r in listed] == [str(order.pk)]
    bad = api("post", "api_confirm", key, [order.pk], {"proof": "x", "done_at": "yesterday"})
    assert bad.status_code == 400
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert (
        api("post", "api_confirm", key, [order.pk], {"proof": "x", "done_at": future}).status_code
        == 409
    )
    done = api(
        "post", "api_confirm", key, [order.pk], {"proof": "https://chirp.example/p/9 is back"}
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    order.refresh_from_db()
    assert order.status == RetractionStatus.DONE and "api key" in order.proof
    assert api("post", "api_confirm", key, [order.pk], {"proof": "again"}).status_code == 409


def test_a_platform_cannot_touch_another_platforms_order(appellant: User, reviewer: User) -> None:
    order = ordered(appellant, reviewer)
    other, _ = platform_token_issue(
        platform=Platform.objects.create(slug="o", name="O"), name="x", by=None
    )
    assert api("post", "api_confirm", other, [order.pk], {"proof": "x"}).status_code == 404
    assert api("post", "api_dispute", other, [order.pk], {"reason": "x"}).status_code == 404
    order.refresh_from_db()
    assert order.status == RetractionStatus.ORDERED


def test_a_platform_disputes_an_order(key: str, appellant: User, reviewer: User) -> None:
    order = ordered(appellant, reviewer)
    assert api("post", "api_dispute", key, [order.pk], {}).status_code == 400
    response = api(
        "post", "api_dispute", key, [order.pk], {"reason": "The content is illegal in DE."}
    )
    assert response.status_code == 200 and response.json()["status"] == "disputed"
    assert order.appeal.escalations.filter(kind="retraction_disputed").exists()


@pytest.mark.parametrize(
    "body",
    [None, [], "text", {"statements": []}, {"statements": [{}] * 101}, {"statements": "x"}],
)
def test_malformed_statement_bodies_get_400(key: str, body: Any) -> None:
    assert api("post", "api_statements", key, body=body).status_code == 400


def test_statements_sent_by_a_platform_become_its_takedowns_once(key: str) -> None:
    statement = {
        "puid": "000123",
        "platform_name": "Somebody Else",
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "category": "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
        "application_date": "2026-11-01",
        "content_date": "2026-11-02",
    }
    first = api(
        "post", "api_statements", key, body={"statements": [statement, {"puid": "x"}]}
    ).json()
    assert first["created"] == 1 and len(first["errors"]) == 1 and first["warnings"]
    takedown = Takedown.objects.get(platform_item_id="000123")
    assert takedown.platform == chirp()  # the key's platform, whatever the body says
    assert takedown.category == "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"
    again = api("post", "api_statements", key, body=statement).json()
    assert again == {"created": 0, "duplicates": 1, "errors": [], "warnings": again["warnings"]}


def test_the_issue_command_prints_a_key_once(
    capsys: pytest.CaptureFixture[str], make_user: Callable[..., User]
) -> None:
    from django.core.management import call_command

    chirp()
    call_command("issue_platform_token", "chirp", "backend")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.startswith("rp_")
    assert api("get", "api_appeals", key).status_code == 200


def test_the_command_revokes_a_key_and_audits_it(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import CommandError, call_command

    from appeals.models import AuditEvent

    chirp()
    call_command("issue_platform_token", "chirp", "backend")
    out = capsys.readouterr().out.strip().splitlines()
    key = out[-1]
    call_command("issue_platform_token", "chirp", "--revoke", key[:10])
    assert api("get", "api_appeals", key).status_code == 401
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKED).count() == 1
    with pytest.raises(CommandError, match="No live key"):
        call_command("issue_platform_token", "chirp", "--revoke", key[:10])


@pytest.mark.parametrize(
    "raw",
    [
        '"case \\u0000 42"',  # NUL: no database text can hold it
        '"half \\ud800 pair"',  # a lone surrogate: not encodable as UTF-8
    ],
)
def test_unstorable_text_in_any_body_is_refused_with_400_and_nothing_changes(
    key: str, appellant: User, reviewer: User, raw: str
) -> None:
    retraction = ordered(appellant, reviewer)
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    bodies = {
        reverse("api_statements"): (
            '{"puid": "n1", "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT", '
            '"decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"], '
            '"category": "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE", '
            f'"incompatible_content_ground": {raw}}}'
        ),
        reverse("api_confirm", args=[retraction.pk]): f'{{"proof": {raw}}}',
        reverse("api_dispute", args=[retraction.pk]): f'{{"reason": {raw}}}',
    }
    takedowns = Takedown.objects.count()
    for url, body in bodies.items():
        response = client.post(url, data=body, content_type="application/json", **headers)
        assert response.status_code == 400, (url, response.content)
        assert "must not contain" in response.json()["error"]
    assert Takedown.objects.count() == takedowns
    retraction.refresh_from_db()
    assert retraction.status == RetractionStatus.ORDERED


def test_deeply_nested_json_is_refused_with_400(key: str) -> None:
    response = Client().post(
        reverse("api_statements"),
        data="[" * 100_000 + "]" * 100_000,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400
