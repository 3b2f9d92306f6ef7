from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("The platform’s decision stands")
    REVERSED = "reversed", _("The platform’s decision is reversed")
    PARTLY_REVERSED = "partly_reversed", _("The platform’s decision is partly reversed")
    OUT_OF_TIME = "inadmissible_out_of_time", _("Not admissible: the appeal came too late")
    DUPLICATE = "inadmissible_duplicate", _("Not admissible: the same appeal was already made")
    MANIFESTLY_UNFOUNDED = (
        "inadmissible_manifestly_unfounded",
        _("Not admissible: the appeal is clearly without grounds"),
    )


REVERSING_OUTCOMES = (Outcome.REVERSED, Outcome.PARTLY_REVERSED)


class BasisKind(models.TextChoices):
    LEGAL = "legal", _("A law")
    CONTRACTUAL = "contractual", _("The platform’s terms of service")


class Decision(models.Model):
    """The reasoned decision on an appeal, always taken by a named person (DSA Art. 20(6))."""

    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=40, choices=Outcome.choices)
    reasons = models.TextField(_("reasons (shown to the appellant)"))
    basis_kind = models.CharField(_("basis"), max_length=16, choices=BasisKind.choices)
    basis = models.TextField(_("the provision or clause, with an explanation"))
    remedies_ordered = models.JSONField(_("remedies ordered"), default=list, blank=True)
    automated_means_used = models.BooleanField(
        _("automated means were used at some stage"), default=False
    )
    internal_note = models.TextField(_("internal note (never shown to the appellant)"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions"
    )
    decided_at = models.DateTimeField(_("decided"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # A decision found wrong is retracted by a supervisor (never deleted); the case
    # goes back for review and the next decision replaces it with a correction letter.
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retraction_reasons = models.TextField(blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["appeal"],
                condition=models.Q(retracted_at__isnull=True),
                name="one_current_decision_per_appeal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.outcome}"

    @property
    def reverses(self) -> bool:
        return self.outcome in REVERSING_OUTCOMES


class DecisionProposal(models.Model):
    """A decision waiting for a second reviewer (four-eyes), then approved or returned."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a second reviewer")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned with comments")
        CANCELLED = "cancelled", _("Cancelled: the appeal was withdrawn")

    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="decision_proposals"
    )
    outcome = models.CharField(max_length=40, choices=Outcome.choices)
    reasons = models.TextField()
    basis_kind = models.CharField(max_length=16, choices=BasisKind.choices)
    basis = models.TextField()
    remedies_ordered = models.JSONField(default=list, blank=True)
    automated_means_used = models.BooleanField(default=False)
    internal_note = models.TextField(blank=True)
    rules_matched = models.JSONField(default=list)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    second_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal"],
                condition=models.Q(state="pending"),
                name="one_pending_proposal_per_appeal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.outcome} ({self.state})"
