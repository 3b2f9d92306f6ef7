from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from appeals.models.decision import BasisKind, Outcome


class ReviewerProfile(models.Model):
    """What a reviewer is qualified for, and how many open cases they can carry."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    jurisdictions = models.ManyToManyField(
        "appeals.Jurisdiction", verbose_name=_("jurisdictions"), related_name="reviewers"
    )
    languages = models.JSONField(
        _("languages"), default=list, help_text=_('Language codes, e.g. ["en", "de"].')
    )
    workload_cap = models.PositiveSmallIntegerField(_("most open cases at once"), default=30)
    active = models.BooleanField(_("takes new cases"), default=True)

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")

    def __str__(self) -> str:
        return str(self.user)


class ConflictDeclaration(models.Model):
    """A reviewer's declared conflict of interest with a platform or a person."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    platform = models.ForeignKey(
        "appeals.Platform", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("An appellant the reviewer knows or has an interest in."),
    )
    note = models.CharField(_("why"), max_length=300, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(platform__isnull=False) | models.Q(person__isnull=False),
                name="conflict_names_platform_or_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.platform or self.person}"


class FourEyesRule(models.Model):
    """When a decision needs a second reviewer's approval before it takes effect."""

    name = models.CharField(_("name"), max_length=200)
    categories = models.JSONField(
        _("categories"), default=list, blank=True, help_text=_("Empty: any category.")
    )
    outcomes = models.JSONField(
        _("outcomes"), default=list, blank=True, help_text=_("Empty: any outcome.")
    )
    when_compensation = models.BooleanField(_("only when compensation is ordered"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("four-eyes rule")
        verbose_name_plural = _("four-eyes rules")

    def __str__(self) -> str:
        return self.name


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
