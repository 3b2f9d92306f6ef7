from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Gravity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class MisuseMark(models.Model):
    """A reviewer found a submission manifestly unfounded (DSA Art. 23), with the factors."""

    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="misuse_marks"
    )
    appeal = models.ForeignKey(
        "appeals.Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        "appeals.HarmReport", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    count_in_period = models.PositiveIntegerField()
    share_of_submissions = models.DecimalField(max_digits=5, decimal_places=4)
    gravity = models.CharField(max_length=8, choices=Gravity.choices)
    intent = models.TextField(_("intent, where known"), blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["submitter", "marked_at"], name="misuse_submitter_when")]

    def __str__(self) -> str:
        return f"{self.submitter_id} at {self.marked_at:%Y-%m-%d}"


class Sanction(models.Model):
    """A warning, or a suspension for a stated period, that the person can contest."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        SUSPENSION = "suspension", _("Suspension")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reasons = models.TextField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    contested_at = models.DateTimeField(null=True, blank=True)
    contest_text = models.TextField(blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"
