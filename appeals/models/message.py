from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppealMessage(models.Model):
    """A message on an appeal, seen by the appellant and the reviewers.
    Reviewers' private notes are a different model and never appear here."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        INFORMATION_REQUEST = "information_request", _("Request for information")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_staff = models.BooleanField(default=False)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.MESSAGE)
    body = models.TextField()
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.appeal_id}"
