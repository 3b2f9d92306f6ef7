from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Escalation(models.Model):
    """A deadline that passed, or a dispute, put before the supervisors."""

    class Kind(models.TextChoices):
        APPEAL_OVERDUE = "appeal_overdue", _("Appeal past its decision deadline")
        RETRACTION_OVERDUE = "retraction_overdue", _("Retraction past its deadline")
        RETRACTION_DISPUTED = "retraction_disputed", _("Retraction disputed by the platform")
        REFERRAL_OVERDUE = "referral_overdue", _("Referral past its deadline")
        THREAT_TO_LIFE = "threat_to_life", _("Threat to life or safety: tell the authorities now")
        SANCTION_CONTESTED = "sanction_contested", _("A suspension or warning is contested")

    kind = models.CharField(max_length=24, choices=Kind.choices)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    report = models.ForeignKey(
        "appeals.HarmReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    referral = models.ForeignKey(
        "appeals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sanction = models.ForeignKey(
        "appeals.Sanction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retraction = models.ForeignKey(
        "appeals.Retraction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    due_at = models.DateTimeField()
    created_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # Exactly one escalation per missed deadline, however many sweeps run.
            models.UniqueConstraint(
                fields=["kind", "appeal", "due_at"],
                condition=models.Q(retraction__isnull=True, appeal__isnull=False),
                name="one_escalation_per_appeal_deadline",
            ),
            models.UniqueConstraint(
                fields=["kind", "referral", "due_at"],
                condition=models.Q(referral__isnull=False),
                name="one_escalation_per_referral_deadline",
            ),
            models.UniqueConstraint(
                fields=["kind", "report"],
                condition=models.Q(kind="threat_to_life"),
                name="one_threat_escalation_per_report",
            ),
            models.UniqueConstraint(
                fields=["kind", "retraction", "due_at"],
                condition=models.Q(retraction__isnull=False),
                name="one_escalation_per_retraction_deadline",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="escalation_open",
                condition=models.Q(handled_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.appeal_id or self.report_id}"
