from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models


def evidence_path(instance: Any, filename: str) -> str:
    # Random, extension-less names: the stored name reveals nothing and is never served.
    return f"evidence/{instance.id.hex[:2]}/{instance.id.hex}"


class EvidenceFile(models.Model):
    """A file the appellant sent. Stored outside any served folder, with its SHA-256;
    downloaded only through a view that checks permission."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appeal = models.ForeignKey(
        "appeals.Appeal", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    draft = models.ForeignKey(
        "appeals.AppealDraft",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    harm_report = models.ForeignKey(
        "appeals.HarmReport",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    message = models.ForeignKey(
        "appeals.AppealMessage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    # Empty for a file sent with an anonymous harm report.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=255)
    mime = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
