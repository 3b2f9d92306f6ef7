from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HarmCategory(models.TextChoices):
    """What a harm report is about. The first two are never uploaded to the portal."""

    INTIMATE_IMAGES = "intimate_images", _("Intimate images shared without consent")
    CHILD_SEXUAL_ABUSE = "child_sexual_abuse", _("Child sexual abuse material")
    GROOMING = "grooming", _("Grooming of a child")
    SEXTORTION = "sextortion", _("Sextortion (threats to share intimate images)")
    DOXXING = "doxxing", _("Private information published (doxxing)")
    TRAFFICKING = "trafficking", _("Human trafficking")
    TERRORIST_CONTENT = "terrorist_content", _("Terrorist content")
    HATE = "hate", _("Hate speech or incitement")
    OTHER = "other", _("Something else that is illegal or harmful")


# Content of these kinds must never be uploaded to the portal: people give URLs and
# hashes computed on their own device instead.
NO_UPLOAD_CATEGORIES = frozenset({HarmCategory.INTIMATE_IMAGES, HarmCategory.CHILD_SEXUAL_ABUSE})


class RequestedAction(models.TextChoices):
    REMOVAL = "removal", _("Remove the content")
    DEINDEXING = "deindexing", _("Remove it from search results")
    PRESERVATION = "preservation", _("Keep a copy for the police")


class ConsentGivenBy(models.TextChoices):
    VICTIM = "victim", _("The victim")
    GUARDIAN = "guardian", _("A parent or legal guardian")
    ADVOCATE = "advocate", _("Our organisation, with the victim’s authority")


class HarmReport(models.Model):
    """A notice (DSA Art. 16) that content is illegal or harmful, possibly on several
    platforms in several countries; it fans out into referrals."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being followed")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=16, unique=True)
    organisation = models.ForeignKey(
        "appeals.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="harm_reports",
    )
    reporter_name = models.CharField(_("your name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("your email address"), blank=True)
    victim_reference = models.CharField(
        _("victim reference"),
        max_length=100,
        help_text=_("A name you use for the victim, not their real name."),
    )
    victim_contact = models.CharField(_("how to reach the victim"), max_length=200, blank=True)
    consent_given_by = models.CharField(max_length=16, choices=ConsentGivenBy.choices)
    consent_scope = models.TextField(_("what the consent covers"))
    consent_at = models.DateTimeField()
    categories = models.JSONField(default=list)
    jurisdictions = models.ManyToManyField("appeals.Jurisdiction", related_name="harm_reports")
    urgent = models.BooleanField(default=False)
    threat_to_life = models.BooleanField(default=False)
    explanation = models.TextField()
    requested_actions = models.JSONField(default=list)
    trusted_flagger = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    filed_at = models.DateTimeField()
    # Anonymous follow-up: a PIN (hashed) and/or a secret link that expires and can be revoked.
    pin_hash = models.CharField(max_length=200, blank=True)
    link_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    link_expires_at = models.DateTimeField(null=True, blank=True)
    link_revoked_at = models.DateTimeField(null=True, blank=True)
    legal_hold = models.BooleanField(_("legal hold: keep all data"), default=False)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-filed_at"], name="report_org_filed")]

    def __str__(self) -> str:
        return self.reference

    @property
    def protected(self) -> bool:
        return bool(set(self.categories) & NO_UPLOAD_CATEGORIES)


class ReferralStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent to the platform")
    ACKNOWLEDGED = "acknowledged", _("The platform confirmed it has the report")
    ACTIONED = "actioned", _("The platform acted")
    REFUSED = "refused", _("The platform refused to act")
    ESCALATED = "escalated", _("Overdue: our supervisors are chasing the platform")


OPEN_REFERRAL_STATUSES = (
    ReferralStatus.QUEUED,
    ReferralStatus.SENT,
    ReferralStatus.ACKNOWLEDGED,
    ReferralStatus.ESCALATED,
)


class Referral(models.Model):
    """One report routed to one platform under one jurisdiction, with its own clock."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(HarmReport, on_delete=models.CASCADE, related_name="referrals")
    platform = models.ForeignKey("appeals.Platform", on_delete=models.PROTECT, related_name="+")
    jurisdiction = models.ForeignKey(
        "appeals.Jurisdiction", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.QUEUED
    )
    due_at = models.DateTimeField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    outcome = models.TextField(blank=True)
    contested_appeal = models.ForeignKey(
        "appeals.Appeal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "platform", "jurisdiction"], name="one_referral_per_pair"
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="referral_open_due",
                condition=models.Q(status__in=["queued", "sent", "acknowledged"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.platform_id}/{self.jurisdiction_id}"


class ContentLocation(models.Model):
    """Where the content is: an address and, never the file, its hashes."""

    report = models.ForeignKey(HarmReport, on_delete=models.CASCADE, related_name="locations")
    url = models.URLField(max_length=2000)
    platform = models.ForeignKey("appeals.Platform", on_delete=models.PROTECT, related_name="+")
    hosting_country = models.CharField(max_length=2, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    perceptual_hash = models.CharField(max_length=256, blank=True)
    # The same address already under an open referral from another report.
    linked_referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="linked_locations"
    )

    class Meta:
        indexes = [models.Index(fields=["url"], name="location_url")]

    def __str__(self) -> str:
        return self.url
