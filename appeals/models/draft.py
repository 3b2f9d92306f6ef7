from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class AppealDraft(models.Model):
    """An appeal being written, saved on the server after every step so that
    nothing typed or uploaded is lost to an error, a reload or a closed tab."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeal_drafts"
    )
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    appeal = models.OneToOneField(
        "appeals.Appeal", null=True, blank=True, on_delete=models.SET_NULL, related_name="draft"
    )

    class Meta:
        indexes = [models.Index(fields=["owner", "-updated_at"], name="draft_owner_updated")]

    def __str__(self) -> str:
        return f"Draft {self.id}"
