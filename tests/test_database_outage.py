"""The database going away gives a calm 503 page that keeps the form, not a 500
(portal/outage.py). The database is made unreachable by failing every query, so the
page is also shown to be rendered without touching it. The real thing, PostgreSQL
restarted during a burst of submissions: tests/test_fault_database_restart.py."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from appeals.models import AppealDraft, User
from tests.conftest import sign_in
from tests.factories import MINIMAL_PDF

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script>'


@contextmanager
def database_down() -> Iterator[None]:
    def refuse(*args: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield


def _hidden(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', html)


@pytest.fixture
def signed_in(client: Client, appellant: User) -> Client:
    return sign_in(client, appellant)


def test_a_post_while_the_database_is_down_keeps_every_field_for_a_retry(
    signed_in: Client, appellant: User
) -> None:
    draft = AppealDraft.objects.create(owner=appellant, answers={})
    url = reverse("filing_check", args=[draft.pk]) + "?from=check"
    with database_down():
        response = signed_in.post(
            url,
            {
                "csrfmiddlewaretoken": "token-from-the-form",
                "good_faith": "on",
                "remedies": ["reinstate_content", "restore_account"],
                "grounds": HOSTILE,
            },
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response  # the usual headers still apply
    html = response.content.decode()
    assert "We could not save this just now" in html
    assert "Nothing you entered is lost. Please try again in a minute." in html
    assert f'<form method="post" action="{url}"' in html
    assert ">Try again</button>" in html
    assert "<script>" not in html
    assert _hidden(html) == [
        ("csrfmiddlewaretoken", "token-from-the-form"),
        ("good_faith", "on"),
        ("remedies", "reinstate_content"),
        ("remedies", "restore_account"),
        ("grounds", "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
    ]
    assert appellant.email not in html  # rendered without the user or the session


def test_the_page_is_in_the_persons_language(signed_in: Client, appellant: User) -> None:
    draft = AppealDraft.objects.create(owner=appellant, answers={})
    with database_down():
        response = signed_in.post(
            reverse("filing_check", args=[draft.pk]),
            {"good_faith": "on"},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    assert response.status_code == 503
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Nous n’avons pas pu enregistrer cela pour le moment" in html
    assert "Rien de ce que vous avez saisi n’est perdu" in html
    assert ">Réessayer</button>" in html


def test_a_page_asked_for_while_the_database_is_down_offers_to_reload(
    signed_in: Client,
) -> None:
    with database_down():
        response = signed_in.get(reverse("my_cases"))
    assert response.status_code == 503
    html = response.content.decode()
    assert "This page cannot be shown just now" in html
    assert f'href="{reverse("my_cases")}">Try again</a>' in html
    assert "<form" not in html


def test_files_cannot_be_kept_and_the_page_asks_for_them_again(
    signed_in: Client, appellant: User
) -> None:
    draft = AppealDraft.objects.create(owner=appellant, answers={})
    upload = SimpleUploadedFile("proof.pdf", MINIMAL_PDF, content_type="application/pdf")
    with database_down():
        response = signed_in.post(
            reverse("filing_evidence", args=[draft.pk]),
            {"attachments": [upload], "action": "upload"},
        )
    assert response.status_code == 503
    html = response.content.decode()
    assert "please attach your files again" in html
    assert "Nothing you entered is lost" not in html
    assert 'enctype="multipart/form-data"' in html
    assert '<input type="file" id="retry-file-1" name="attachments" multiple>' in html
    assert _hidden(html) == [("action", "upload")]
    assert "proof.pdf" not in html


def test_a_password_is_never_written_into_the_page(client: Client) -> None:
    with database_down():
        response = client.post(
            reverse("account_login"),
            {"login": "someone@example.org", "password": "correct horse battery"},
        )
    assert response.status_code == 503
    html = response.content.decode()
    assert "correct horse battery" not in html
    assert ("login", "someone@example.org") in _hidden(html)
    assert "your password was not kept" in html


@pytest.fixture
def failing_session_save(settings: Any) -> Callable[[Exception], Any]:
    settings.SESSION_SAVE_EVERY_REQUEST = True  # the session is saved after the view

    def patch(error: Exception) -> Any:
        return mock.patch(
            "django.contrib.sessions.backends.db.SessionStore.save", side_effect=error
        )

    return patch


def test_losing_the_database_while_saving_the_session_is_not_a_server_error(
    appellant: User, failing_session_save: Callable[[Exception], Any]
) -> None:
    client = sign_in(Client(raise_request_exception=False), appellant)
    with failing_session_save(OperationalError("terminating connection")):
        response = client.get(reverse("home"))
    assert response.status_code == 503
    assert "This page cannot be shown just now" in response.content.decode()


def test_any_other_error_is_still_a_server_error(
    appellant: User, failing_session_save: Callable[[Exception], Any]
) -> None:
    client = sign_in(Client(raise_request_exception=False), appellant)
    with failing_session_save(RuntimeError("a bug")):
        response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
