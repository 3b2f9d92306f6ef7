from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from appeals.vocabulary import AutomatedDecision, Category, DecisionGround, Measure


class Takedown(models.Model):
    """A platform's moderation decision, imported from a statement of reasons or
    described by the person it affected. Field values use the statement-of-reasons
    vocabulary (appeals.vocabulary)."""

    class Source(models.TextChoices):
        IMPORTED = "imported", _("Imported statement of reasons")
        DESCRIBED = "described", _("Described by the appellant")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    platform = models.ForeignKey(
        "appeals.Platform", on_delete=models.PROTECT, related_name="takedowns"
    )
    platform_reference = models.CharField(
        _("platform's reference"),
        max_length=200,
        blank=True,
        help_text=_("The statement-of-reasons id or the platform's own case number."),
    )
    # The platform's own id for the item (the statement's "puid"), kept as text.
    platform_item_id = models.CharField(max_length=500, blank=True, db_index=True)
    content_url = models.URLField(_("address of the content"), max_length=2000, blank=True)
    content_types = models.JSONField(_("content types"), default=list, blank=True)
    measures = models.JSONField(_("measures taken"), default=list)
    decision_ground = models.CharField(
        _("ground"), max_length=48, choices=DecisionGround.choices, blank=True
    )
    legal_provision = models.TextField(_("legal provision"), blank=True)
    ground_jurisdictions = models.JSONField(
        _("jurisdictions of the legal ground"), default=list, blank=True
    )
    terms_clause = models.TextField(_("terms-of-service clause"), blank=True)
    ground_explanation = models.TextField(_("explanation of the ground"), blank=True)
    category = models.CharField(_("category"), max_length=80, choices=Category.choices, blank=True)
    territorial_scope = models.JSONField(_("territorial scope"), default=list, blank=True)
    decided_on = models.DateField(_("date of the decision"), null=True, blank=True)
    restriction_ends_on = models.DateField(_("end of the restriction"), null=True, blank=True)
    automated_detection = models.BooleanField(_("detected by automated means"), null=True)
    automated_decision = models.CharField(
        _("decided by automated means"),
        max_length=40,
        choices=AutomatedDecision.choices,
        default=AutomatedDecision.UNKNOWN,
    )
    statement_text = models.TextField(_("the platform's statement"), blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    decision_maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The portal user who took the platform's decision, if one did."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("takedown")
        verbose_name_plural = _("takedowns")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "platform_reference"],
                name="takedown_platform_reference_unique",
                condition=~models.Q(platform_reference=""),
            )
        ]
        indexes = [models.Index(fields=["content_url"], name="takedown_content_url")]

    def __str__(self) -> str:
        ref = self.platform_reference or str(self.public_id)[:8]
        return f"{self.platform} {ref}"

    def measure_labels(self) -> list[str]:
        return [str(Measure(m).label) for m in self.measures if m in Measure.values]
