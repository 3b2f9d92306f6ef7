from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from appeals.models.jurisdiction import Priority

if TYPE_CHECKING:
    from appeals.models.decision import Decision

# No 0/O, 1/I/L or U: references are read out on the phone and typed from letters.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(prefix: str = "APL") -> str:
    """An unguessable case reference such as APL-7KQ2-M9XD (30^8 ≈ 6.6e11 values)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{prefix}-{chars[:4]}-{chars[4:]}"


class AppealStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Received")
    UNDER_REVIEW = "under_review", _("Being reviewed")
    AWAITING_APPELLANT = "awaiting_appellant", _("Waiting for your answer")
    AWAITING_SECOND_REVIEW = "awaiting_second_review", _("Decision being checked")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (
    AppealStatus.SUBMITTED,
    AppealStatus.UNDER_REVIEW,
    AppealStatus.AWAITING_APPELLANT,
    AppealStatus.AWAITING_SECOND_REVIEW,
)
_OPEN = models.Q(status__in=[s.value for s in OPEN_STATUSES])
# Open with the clock running (waiting for the appellant stops it).
RUNNING_STATUSES = (
    AppealStatus.SUBMITTED,
    AppealStatus.UNDER_REVIEW,
    AppealStatus.AWAITING_SECOND_REVIEW,
)
_RUNNING = models.Q(status__in=[s.value for s in RUNNING_STATUSES])


# Staff see the same states described from their side.
STAFF_STATUS_LABELS = {
    AppealStatus.SUBMITTED: _("Received, nobody assigned"),
    AppealStatus.UNDER_REVIEW: _("Under review"),
    AppealStatus.AWAITING_APPELLANT: _("Waiting for the appellant"),
    AppealStatus.AWAITING_SECOND_REVIEW: _("Waiting for a second reviewer"),
    AppealStatus.DECIDED: _("Decided"),
    AppealStatus.WITHDRAWN: _("Withdrawn"),
}


class Remedy(models.TextChoices):
    REINSTATE_CONTENT = "reinstate_content", _("Put my content back")
    RESTORE_ACCOUNT = "restore_account", _("Give me my account back")
    LIFT_RESTRICTION = "lift_restriction", _("Remove the limit on my content or account")
    CORRECT_LABEL = "correct_label", _("Correct or remove a label or public statement")
    COMPENSATION = "compensation", _("Pay me compensation for the harm")


class OrderedRemedy(models.TextChoices):
    """The same remedies, as a decision orders them of the platform."""

    REINSTATE_CONTENT = "reinstate_content", _("Put the content back")
    RESTORE_ACCOUNT = "restore_account", _("Restore the account")
    LIFT_RESTRICTION = "lift_restriction", _("Lift the limit on the content or account")
    CORRECT_LABEL = "correct_label", _("Correct or remove the label or public statement")
    COMPENSATION = "compensation", _("Pay compensation for the harm")


class Appeal(models.Model):
    """An internal complaint (DSA Art. 20) against a takedown."""

    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals"
    )
    takedown = models.ForeignKey(
        "appeals.Takedown", on_delete=models.PROTECT, related_name="appeals"
    )
    jurisdiction = models.ForeignKey(
        "appeals.Jurisdiction", on_delete=models.PROTECT, related_name="appeals"
    )
    informed_on = models.DateField(_("date the platform told the appellant"))
    late_reason = models.TextField(_("reason for appealing late"), blank=True)
    grounds = models.TextField(_("why the decision is wrong"))
    remedies = models.JSONField(_("what the appellant asks for"), default=list)
    language = models.CharField(_("language for letters"), max_length=8)
    status = models.CharField(
        _("status"), max_length=24, choices=AppealStatus.choices, default=AppealStatus.SUBMITTED
    )
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.STANDARD
    )
    # 0 for trusted-flagger and mandated-body cases, 1 otherwise: they go first
    # among cases due at the same time.
    priority_rank = models.PositiveSmallIntegerField(default=1)
    # Filed by a mandated body for the person who mandated it (DSA Art. 86).
    mandate = models.ForeignKey(
        "appeals.Mandate", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    # Copied from the takedown at filing, so the queue filters on one table.
    platform = models.ForeignKey(
        "appeals.Platform", on_delete=models.PROTECT, related_name="appeals"
    )
    category = models.CharField(_("category"), max_length=80, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_appeals",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    needs_second_review = models.BooleanField(_("flagged for a second reviewer"), default=False)
    # Deadline sweep: the assignee is reminded at remind_at, supervisors are told
    # when due_at passes. Each is recorded once (compare-and-set on the *_at column).
    legal_hold = models.BooleanField(_("legal hold: keep all data"), default=False)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    filed_at = models.DateTimeField(_("filed"))
    due_at = models.DateTimeField(_("decision due"))
    paused_at = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    closed_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # The draft it came from: a second submit of the same draft finds this row.
    submission_key = models.UUIDField(unique=True, editable=False)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [
            models.Index(fields=["appellant", "-filed_at"], name="appeal_appellant_filed"),
            # The queue: open cases by due time, priority first, then id (keyset).
            models.Index(
                fields=["due_at", "priority_rank", "id"], name="appeal_queue", condition=_OPEN
            ),
            models.Index(
                fields=["jurisdiction", "due_at", "priority_rank", "id"],
                name="appeal_queue_jurisdiction",
                condition=_OPEN,
            ),
            models.Index(
                fields=["platform", "due_at", "priority_rank", "id"],
                name="appeal_queue_platform",
                condition=_OPEN,
            ),
            models.Index(
                fields=["category", "due_at", "priority_rank", "id"],
                name="appeal_queue_category",
                condition=_OPEN,
            ),
            models.Index(
                fields=["assigned_to", "due_at", "priority_rank", "id"],
                name="appeal_queue_assignee",
                condition=_OPEN,
            ),
            models.Index(fields=["takedown", "id"], name="appeal_takedown"),
            models.Index(
                fields=["remind_at"],
                name="appeal_reminder_sweep",
                condition=_RUNNING & models.Q(reminded_at__isnull=True),
            ),
            models.Index(
                fields=["due_at"],
                name="appeal_breach_sweep",
                condition=_RUNNING & models.Q(breached_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def current_decision(self) -> Decision | None:
        """The decision in force: the latest that no supervisor retracted."""
        from appeals.models.decision import Decision

        return (
            Decision.objects.filter(appeal=self, retracted_at__isnull=True)
            .select_related("decided_by", "approved_by")
            .first()
        )

    @property
    def status_label(self) -> str:
        """The status in the appellant's words (``get_status_display`` rebuilds the
        choices on every call, which shows on list pages)."""
        return str(AppealStatus(self.status).label)

    @property
    def staff_status_label(self) -> str:
        return str(STAFF_STATUS_LABELS[AppealStatus(self.status)])

    def remedy_labels(self) -> list[str]:
        return [str(Remedy(r).label) for r in self.remedies if r in Remedy.values]


class ClockPause(models.Model):
    """A period when the appeal's clock stood still, waiting for the appellant."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="clock_pauses")
    paused_at = models.DateTimeField()
    resumed_at = models.DateTimeField(null=True, blank=True)
    status_before = models.CharField(max_length=24, choices=AppealStatus.choices)

    class Meta:
        ordering = ["paused_at"]

    def __str__(self) -> str:
        return f"{self.appeal} paused {self.paused_at:%Y-%m-%d}"
