from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from appeals.models.appeal import REFERENCE_ALPHABET


def new_verification_code() -> str:
    """A short code printed on the letter, e.g. V7KQ-2M9X-D4PA (30^12 values)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def letter_path(instance: Letter, filename: str) -> str:
    return f"letters/{instance.id.hex[:2]}/{instance.id.hex}.pdf"


class Letter(models.Model):
    """A letter the portal sends, rendered once to a signed PDF/A and never changed.

    Created ``pending`` in the transaction that causes it; a worker renders it.
    ``(appeal, kind, subject_key)`` is unique, so asking twice never makes two letters.
    """

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement of receipt")
        INFORMATION_REQUEST = "information_request", _("Request for information")
        DECISION = "decision", _("Decision letter")
        CORRECTION = "correction", _("Correction letter")

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        ISSUED = "issued", _("Issued")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # What the letter is about within the appeal (the decision's id, the message's id).
    subject_key = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    decision = models.ForeignKey(
        "appeals.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    verification_code = models.CharField(max_length=16, unique=True, default=new_verification_code)
    file = models.FileField(upload_to=letter_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "kind", "subject_key"], name="one_letter_per_subject"
            )
        ]
        indexes = [
            models.Index(
                fields=["requested_at"],
                name="letter_pending",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.verification_code}"
