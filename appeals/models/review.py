from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
