"""Queueing email for delivery by a worker after the transaction commits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_q.tasks import async_task

from appeals.models import OutboundEmail
from appeals.states import EMAIL, transition
from appeals.tasks import enqueue


def email_queue(
    *, message: EmailMultiAlternatives, template: str, dedup_key: str | None = None
) -> OutboundEmail:
    """Store ``message`` and hand it to a worker once the current transaction commits.

    If the transaction rolls back, the email is never sent. With ``dedup_key``, an
    email already queued under that key is returned instead of a second one.
    """
    if dedup_key is not None:
        existing = OutboundEmail.objects.filter(dedup_key=dedup_key).first()
        if existing is not None:
            return existing
    html = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = str(content)
    fields = {
        "template": template[:200],
        "to": list(message.to),
        "subject": str(message.subject),
        "body_text": str(message.body),
        "body_html": html,
        "dedup_key": dedup_key,
    }
    if dedup_key is None:
        outbound = OutboundEmail.objects.create(**fields)
    else:
        try:
            with transaction.atomic():
                outbound = OutboundEmail.objects.create(**fields)
        except IntegrityError:
            # A concurrent task queued the same email first.
            return OutboundEmail.objects.get(dedup_key=dedup_key)
    enqueue("appeals.tasks.deliver_email", str(outbound.pk), task_name=f"email-{outbound.pk}")
    return outbound


def email_deliver(*, outbound_id: str) -> bool:
    """Send a queued email once. Returns False if it was already sent.

    Safe to run twice at once: the row is locked (PostgreSQL) or the write lock
    is held (SQLite) while sending, and a sent email is never sent again.
    """
    try:
        with transaction.atomic():
            outbound = OutboundEmail.objects.select_for_update().filter(pk=outbound_id).first()
            if outbound is None or outbound.status == OutboundEmail.Status.SENT:
                return False
            message = EmailMultiAlternatives(
                subject=outbound.subject, body=outbound.body_text, to=outbound.to
            )
            if outbound.body_html:
                message.attach_alternative(outbound.body_html, "text/html")
            message.send()
            transition(
                EMAIL,
                outbound,
                OutboundEmail.Status.SENT,
                sent_at=timezone.now(),
                attempts=outbound.attempts + 1,
                body_text="",
                body_html="",
                last_error="",
            )
    except Exception as exc:
        # Recorded outside the rolled-back transaction, so staff see failing sends
        # (admin: outbound emails); django-q2 retries the task.
        OutboundEmail.objects.filter(pk=outbound_id).update(
            attempts=F("attempts") + 1, last_error=repr(exc)[:2000]
        )
        raise
    return True


def email_send_template(
    *,
    template: str,
    to: list[str],
    context: dict[str, Any],
    language: str,
    dedup_key: str | None = None,
) -> OutboundEmail:
    """Render ``templates/emails/<template>_{subject,message}.txt`` (and ``_message.html``
    if present) in ``language`` and queue the email for after commit."""
    context = {"base_url": settings.PORTAL_BASE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}_message.txt", context)
        try:
            html: str = render_to_string(f"emails/{template}_message.html", context)
        except TemplateDoesNotExist:
            html = ""  # text-only email
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return email_queue(message=message, template=template, dedup_key=dedup_key)


EMAIL_RETRY_LIMIT = 5


def email_retry_due(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Queue again the emails still unsent after ``older_than``: a task lost between
    the commit and its queueing (a database or worker outage), or a failed send.
    Delivery is idempotent, so an email whose first task is merely late is still
    sent once. After EMAIL_RETRY_LIMIT failed attempts an email is left for staff
    (admin: outbound emails, with its last error)."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.QUEUED,
            created_at__lt=cutoff,
            attempts__lt=EMAIL_RETRY_LIMIT,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        async_task("appeals.tasks.deliver_email", str(pk), task_name=f"email-{pk}-retry")
    return len(ids)
