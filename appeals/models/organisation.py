from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A victim-support or civil-society organisation whose members file reports."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        "appeals.Jurisdiction", on_delete=models.PROTECT, related_name="organisations"
    )
    website = models.URLField(_("website"), blank=True)
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification_basis = models.TextField(
        _("basis of verification"),
        blank=True,
        help_text=_("E.g. registry number checked, documents seen, call with its director."),
    )
    is_mandated_body = models.BooleanField(
        _("mandated body (DSA Art. 86)"),
        default=False,
        help_text=_("A not-for-profit body users may mandate to appeal for them."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    # Invitations name an email; the membership starts when that address signs in.
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], name="one_membership_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} in {self.organisation}"


class TrustedFlaggerDesignation(models.Model):
    """DSA Art. 22: an organisation designated, per jurisdiction, for an area, for a period."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="designations"
    )
    jurisdiction = models.ForeignKey(
        "appeals.Jurisdiction", on_delete=models.PROTECT, related_name="+"
    )
    expertise = models.CharField(_("area of expertise"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.organisation} in {self.jurisdiction_id}: {self.expertise}"


class Mandate(models.Model):
    """A user's mandate to a mandated body to appeal for them (DSA Art. 86)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mandates"
    )
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mandates"
    )
    scope = models.TextField(_("what the mandate covers"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.principal} → {self.organisation}"
