from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StatKind(models.TextChoices):
    APPEAL_RECEIVED = "appeal_received", _("Appeals received")
    APPEAL_DECIDED = "appeal_decided", _("Appeals decided")
    RETRACTION_ORDERED = "retraction_ordered", _("Retractions ordered")
    RETRACTION_DONE = "retraction_done", _("Retractions carried out")
    REPORT_RECEIVED = "report_received", _("Harm reports received")
    REFERRAL_CLOSED = "referral_closed", _("Referrals answered by platforms")
    SANCTION = "sanction", _("Warnings and suspensions")


class StatFact(models.Model):
    """One countable event, with no personal data, written by the service that caused it.

    Statistics are computed from these rows only, so anonymising cases after their
    retention period leaves every published figure unchanged.
    """

    kind = models.CharField(max_length=24, choices=StatKind.choices)
    # The calendar day in the case's own jurisdiction, so periods follow local time.
    day = models.DateField()
    jurisdiction = models.CharField(max_length=8, blank=True)
    platform = models.CharField(max_length=64, blank=True)
    category = models.CharField(max_length=80, blank=True)
    outcome = models.CharField(max_length=40, blank=True)
    hours = models.FloatField(null=True, blank=True)
    on_time = models.BooleanField(null=True)
    trusted_flagger = models.BooleanField(null=True)
    automated = models.BooleanField(null=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "day"], name="statfact_kind_day")]

    def __str__(self) -> str:
        return f"{self.kind} {self.day}"


class TransparencyReport(models.Model):
    """A DSA Art. 15/24 report for a period, built by a worker with visible progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end} ({self.status})"
