from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from appeals.models import OutboundEmail
from appeals.services.emails import email_deliver, email_queue

pytestmark = pytest.mark.django_db


def _message() -> EmailMultiAlternatives:
    message = EmailMultiAlternatives("Your code", "Code: ABCD-EFGH", to=["a@example.org"])
    message.attach_alternative("<p>Code: <b>ABCD-EFGH</b></p>", "text/html")
    return message


def test_an_email_is_sent_only_after_the_transaction_commits(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outbound = email_queue(message=_message(), template="test")
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == "Your code"
    assert sent.alternatives[0][1] == "text/html"
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.SENT


def test_an_email_queued_in_a_rolled_back_transaction_is_never_sent(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                email_queue(message=_message(), template="test")
                raise RuntimeError("the service failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()


def test_delivering_twice_sends_once_and_forgets_the_body() -> None:
    outbound = email_queue(message=_message(), template="test")  # on_commit not run here
    assert email_deliver(outbound_id=str(outbound.pk)) is True
    assert email_deliver(outbound_id=str(outbound.pk)) is False
    assert len(mail.outbox) == 1
    outbound.refresh_from_db()
    assert outbound.body_text == "" and outbound.body_html == ""
    assert outbound.sent_at is not None


def test_account_emails_have_a_translated_html_body(
    client, django_capture_on_commit_callbacks: Callable
) -> None:
    client.cookies["django_language"] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", {"email": "fr@example.org"}, HTTP_ACCEPT_LANGUAGE="fr")
    message = mail.outbox[-1]
    html = dict((mime, body) for body, mime in message.alternatives)["text/html"]
    assert "Bonjour" in message.body
    assert "<p" in html and "Bonjour" in html


def test_a_failed_send_is_recorded_for_staff_and_raised_for_a_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outbound = email_queue(message=_message(), template="test")

    def refuse(self: object, fail_silently: bool = False) -> int:
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with pytest.raises(ConnectionRefusedError):
        email_deliver(outbound_id=str(outbound.pk))
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.QUEUED
    assert outbound.attempts == 1 and "SMTP server down" in outbound.last_error
    assert outbound.body_text  # kept for the retry


def test_an_email_whose_task_was_lost_is_sent_once_by_the_retry_sweep() -> None:
    """The database went away after the commit, before the task was queued: the
    email row exists but no task does. The retry sweep (every 10 minutes) sends it,
    once, and leaves recent, sent and repeatedly failing emails alone."""
    from datetime import timedelta

    from django.utils import timezone

    from appeals.services.emails import EMAIL_RETRY_LIMIT, email_retry_due

    lost = email_queue(message=_message(), template="lost")  # on_commit never runs here
    recent = email_queue(message=_message(), template="recent")
    failing = email_queue(message=_message(), template="failing")
    sent = email_queue(message=_message(), template="sent")
    email_deliver(outbound_id=str(sent.pk))
    mail.outbox.clear()
    long_ago = timezone.now() - timedelta(minutes=11)
    OutboundEmail.objects.exclude(pk=recent.pk).update(created_at=long_ago)
    OutboundEmail.objects.filter(pk=failing.pk).update(attempts=EMAIL_RETRY_LIMIT)

    assert email_retry_due() == 1  # tests run tasks in-process: sent now
    assert [m.subject for m in mail.outbox] == ["Your code"]
    lost.refresh_from_db()
    assert lost.status == OutboundEmail.Status.SENT
    assert email_retry_due() == 0
    assert len(mail.outbox) == 1
