from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from appeals.models.appeal import OrderedRemedy


class RetractionStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered: the platform must do this")
    DONE = "done", _("Done")
    DISPUTED = "disputed", _("Disputed by the platform")
    ESCALATED = "escalated", _("Overdue: our supervisors are chasing the platform")
    CANCELLED = "cancelled", _("Cancelled: the decision was corrected")


OPEN_RETRACTION_STATUSES = (
    RetractionStatus.ORDERED,
    RetractionStatus.DISPUTED,
    RetractionStatus.ESCALATED,
)


class Retraction(models.Model):
    """One thing a platform must do to put a reversed takedown right, followed until done."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.PROTECT, related_name="retractions"
    )
    decision = models.ForeignKey(
        "appeals.Decision", on_delete=models.PROTECT, related_name="retractions"
    )
    platform = models.ForeignKey(
        "appeals.Platform", on_delete=models.PROTECT, related_name="retractions"
    )
    remedy = models.CharField(_("what must be done"), max_length=32, choices=OrderedRemedy.choices)
    status = models.CharField(
        max_length=16, choices=RetractionStatus.choices, default=RetractionStatus.ORDERED
    )
    ordered_at = models.DateTimeField()
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)
    proof = models.TextField(
        _("what shows it is done"),
        blank=True,
        help_text=_("For example the address where the content is live again."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dispute_reason = models.TextField(blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "remedy"], name="one_retraction_per_remedy")
        ]
        indexes = [
            # The sweep: ordered retractions by due time, and only those.
            models.Index(
                fields=["due_at"], name="retraction_sweep", condition=models.Q(status="ordered")
            ),
            models.Index(fields=["platform", "status", "due_at"], name="retraction_platform"),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.remedy} ({self.status})"

    @property
    def compensation_or_none(self) -> Compensation | None:
        try:
            return self.compensation
        except Compensation.DoesNotExist:
            return None


class Compensation(models.Model):
    """Money a platform owes the appellant under a reversed decision."""

    retraction = models.OneToOneField(
        Retraction, on_delete=models.PROTECT, related_name="compensation"
    )
    amount = models.DecimalField(
        pgettext_lazy("money", "amount"), max_digits=12, decimal_places=2, null=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class LiaisonProfile(models.Model):
    """Which platforms a platform liaison speaks for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="liaison_profile"
    )
    platforms = models.ManyToManyField("appeals.Platform", related_name="liaisons")

    def __str__(self) -> str:
        return str(self.user)
