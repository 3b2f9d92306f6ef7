from __future__ import annotations

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
