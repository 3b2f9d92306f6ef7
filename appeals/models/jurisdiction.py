from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone name, e.g. Europe/Berlin."), params={"value": value}
        )


def validate_holiday_calendar(value: str) -> None:
    if not value:
        return
    from appeals import sla

    try:
        sla.Calendar(time_zone="UTC", holiday_country=value)
    except ValueError as exc:
        raise ValidationError(
            _("%(value)s is not a holiday calendar the holidays package knows, e.g. DE or GB-ENG."),
            params={"value": value},
        ) from exc


class Jurisdiction(models.Model):
    """A legal order whose rules, holidays and time zone govern a case."""

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
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    holiday_calendar = models.CharField(
        _("holiday calendar"),
        max_length=16,
        blank=True,
        help_text=_("Country code for the holidays package; empty for no public holidays."),
        validators=[validate_holiday_calendar],
    )
    is_eu_member = models.BooleanField(_("EU member state"), default=False)
    # DSA Art. 20(1): appeals stay open at least six months from when the user was told.
    appeal_window_months = models.PositiveSmallIntegerField(
        _("appeal window in months"), default=6, validators=[MinValueValidator(6)]
    )
    accepts_late_appeals = models.BooleanField(
        _("accepts late appeals with a stated reason"),
        default=False,
        help_text=_("If off, appeals after the window are refused with the last valid date."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CaseType(models.TextChoices):
    APPEAL_ACKNOWLEDGEMENT = "appeal_acknowledgement", _("Acknowledge an appeal")
    APPEAL_DECISION = "appeal_decision", _("Decide an appeal")
    RETRACTION = "retraction", _("Carry out a reversed decision")
    REFERRAL = "referral", _("Platform acts on a harm report")
    REFERRAL_INTIMATE = "referral_intimate", _("Platform acts on intimate images or child abuse")


class Priority(models.TextChoices):
    STANDARD = "standard", _("Standard")
    PRIORITY = "priority", _("Priority (trusted flagger or mandated body)")


class DeadlineUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    BUSINESS_DAYS = "business_days", _("business days")
    HOURS = "hours", _("hours")


class DeadlinePolicy(models.Model):
    """How long the portal has for one kind of case, in one jurisdiction (or by default)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_policies",
        help_text=_("Empty: the default for every jurisdiction without its own policy."),
    )
    case_type = models.CharField(_("case type"), max_length=32, choices=CaseType.choices)
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.STANDARD
    )
    amount = models.PositiveIntegerField(_("amount"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=16, choices=DeadlineUnit.choices)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "case_type", "priority"],
                name="deadline_policy_unique",
                condition=models.Q(jurisdiction__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["case_type", "priority"],
                name="deadline_policy_default_unique",
                condition=models.Q(jurisdiction__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        where = self.jurisdiction.code if self.jurisdiction else _("default")
        return (
            f"{where}: {self.get_case_type_display()} ({self.priority}) {self.amount} {self.unit}"
        )


class OutOfCourtBody(models.Model):
    """A certified out-of-court dispute settlement body (DSA Art. 21)."""

    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"))
    jurisdictions = models.ManyToManyField(
        Jurisdiction, verbose_name=_("jurisdictions"), related_name="out_of_court_bodies"
    )
    languages = models.JSONField(_("languages"), default=list)

    class Meta:
        ordering = ["name"]
        verbose_name = _("out-of-court dispute settlement body")
        verbose_name_plural = _("out-of-court dispute settlement bodies")

    def __str__(self) -> str:
        return self.name
