from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Jurisdiction(models.Model):
    """A legal order whose rules, holidays and time zone govern a case.

    Deadline policies and out-of-court bodies hang off this record (added with
    the appeal workflow), so each operator can set its own figures.
    """

    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("ISO 3166-1 alpha-2 code, or EU for Union-wide law."),
    )
    name = models.CharField(_("name"), max_length=100)
    languages = models.JSONField(
        _("languages"), default=list, help_text=_('Language codes, e.g. ["de", "en"].')
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    holiday_calendar = models.CharField(
        _("holiday calendar"),
        max_length=16,
        blank=True,
        help_text=_("Country code for the holidays package; empty for no public holidays."),
    )
    is_eu_member = models.BooleanField(_("EU member state"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
