"""Hooks into django-allauth: how account emails leave the portal."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction

from appeals.services.emails import email_queue


class PortalAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Rendered now, in the request's language; delivered by a worker after commit.
        message = self.render_mail(template_prefix, email, context)
        with transaction.atomic():
            email_queue(message=message, template=template_prefix)
