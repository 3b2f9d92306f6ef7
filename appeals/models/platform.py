from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.Model):
    """An online service whose moderation decisions can be contested here."""

    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    dsa_platform_id = models.CharField(
        _("DSA Transparency Database platform id"),
        max_length=32,
        blank=True,
        help_text=_("Kept as text: platform ids may have leading zeros."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self) -> str:
        return self.name


class PlatformToken(models.Model):
    """A platform's key to the API. Only its SHA-256 is stored; the key is shown once."""

    platform = models.ForeignKey(
        "appeals.Platform", on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.platform}: {self.name} ({self.prefix}…)"
