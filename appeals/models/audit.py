from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Every kind of event the audit trail knows, namespaced by domain noun."""

    ACCOUNT_SIGNED_UP = "account.signed_up", _("Account created")
    ACCOUNT_SIGNED_IN = "account.signed_in", _("Signed in")
    ACCOUNT_SIGNED_OUT = "account.signed_out", _("Signed out")
    ACCOUNT_EMAIL_CONFIRMED = "account.email_confirmed", _("Email address confirmed")
    ACCOUNT_PASSWORD_CHANGED = "account.password_changed", _("Password changed")
    ACCOUNT_PASSWORD_RESET = "account.password_reset", _("Password reset")
    ACCOUNT_PASSWORD_DISABLED = (
        "account.password_disabled",
        _("Password removed: it was set before the address was proven"),
    )
    ACCOUNT_MFA_ADDED = "account.mfa_added", _("Second factor added")
    ACCOUNT_MFA_REMOVED = "account.mfa_removed", _("Second factor removed")
    ACCOUNT_ACCESS_CHANGED = "account.access_changed", _("Account access changed by an operator")
    ACCOUNT_EDITED = "account.edited", _("Account details changed by an operator")
    ACCOUNT_PASSWORD_SET_BY_OPERATOR = (
        "account.password_set_by_operator",
        _("Password set or disabled by an operator"),
    )
    ACCOUNT_DELETED = "account.deleted", _("Account deleted by an operator")
    ROLE_GRANTED = "role.granted", _("Role granted")
    ROLE_REVOKED = "role.revoked", _("Role revoked")
    DEMO_SEEDED = "demo.seeded", _("Demo data loaded")
    TAKEDOWN_RECORDED = "takedown.recorded", _("Takedown recorded")
    APPEAL_FILED = "appeal.filed", _("Appeal received")
    APPEAL_EVIDENCE_ADDED = "appeal.evidence_added", _("Evidence added")
    APPEAL_EVIDENCE_OPENED = "appeal.evidence_opened", _("Evidence opened")
    APPEAL_MESSAGE_POSTED = "appeal.message_posted", _("Message sent")
    APPEAL_INFORMATION_REQUESTED = "appeal.information_requested", _("Information requested")
    APPEAL_INFORMATION_PROVIDED = "appeal.information_provided", _("Information provided")
    APPEAL_WITHDRAWN = "appeal.withdrawn", _("Appeal withdrawn")
    APPEAL_DECIDED = "appeal.decided", _("Appeal decided")
    APPEAL_ASSIGNED = "appeal.assigned", _("Reviewer assigned")
    APPEAL_RELEASED = "appeal.released", _("Reviewer released the case")
    APPEAL_FLAGGED_FOR_SECOND_REVIEW = (
        "appeal.flagged_for_second_review",
        _("Flagged for a second reviewer"),
    )
    APPEAL_DECISION_PROPOSED = "appeal.decision_proposed", _("Decision proposed for checking")
    APPEAL_DECISION_APPROVED = (
        "appeal.decision_approved",
        _("Decision approved by a second reviewer"),
    )
    APPEAL_DECISION_RETURNED = "appeal.decision_returned", _("Decision returned with comments")
    LETTER_ISSUED = "letter.issued", _("Letter issued")
    DEADLINE_REMINDER_SENT = "deadline.reminder_sent", _("Reminder sent to the reviewer")
    DEADLINE_BREACHED = "deadline.breached", _("Decision deadline passed; supervisors told")
    RETRACTION_ORDERED = "retraction.ordered", _("Platform ordered to put things right")
    RETRACTION_DONE = "retraction.done", _("Platform confirmed it is done")
    RETRACTION_DISPUTED = "retraction.disputed", _("Platform disputed the order")
    RETRACTION_ESCALATED = (
        "retraction.escalated",
        _("Platform missed its deadline; supervisors told"),
    )
    COMPENSATION_OFFERED = "compensation.offered", _("Compensation offered")
    COMPENSATION_ACCEPTED = "compensation.accepted", _("Compensation accepted")
    COMPENSATION_PAID = "compensation.paid", _("Compensation paid")
    DECISION_RETRACTED = "decision.retracted", _("Decision retracted for correction")
    ESCALATION_HANDLED = "escalation.handled", _("Escalation handled")
    ORGANISATION_VERIFIED = "organisation.verified", _("Organisation verified")
    MEMBER_INVITED = "organisation.member_invited", _("Member invited")
    MEMBER_JOINED = "organisation.member_joined", _("Member joined")
    MEMBER_CHANGED = "organisation.member_changed", _("Membership changed by an operator")
    MEMBER_REMOVED = "organisation.member_removed", _("Member removed by an operator")
    REFERENCE_CREATED = "reference.created", _("Reference data added by an operator")
    REFERENCE_CHANGED = "reference.changed", _("Reference data changed by an operator")
    REFERENCE_DELETED = "reference.deleted", _("Reference data deleted by an operator")
    IMPORT_REQUESTED = "import.requested", _("Statements file uploaded for import")
    IMPORT_STARTED = "import.started", _("Statements import started")
    IMPORT_FINISHED = "import.finished", _("Statements import finished")
    IMPORT_FAILED = "import.failed", _("Statements import failed")
    REPORT_FILED = "report.filed", _("Harm report received")
    REPORT_THREAT_ESCALATED = "report.threat_escalated", _("Threat to life: escalated at once")
    REPORT_LINK_REVOKED = "report.link_revoked", _("Secret follow-up link switched off")
    REFERRAL_UPDATED = "referral.updated", _("Referral status changed")
    REFERRAL_ESCALATED = "referral.escalated", _("Referral past its deadline; supervisors told")
    REFERRAL_CONTESTED = "referral.contested", _("Refusal contested: a case was opened")
    MISUSE_MARKED = "misuse.marked", _("Submission marked manifestly unfounded")
    SANCTION_ISSUED = "sanction.issued", _("Warning or suspension issued")
    SANCTION_CONTESTED = "sanction.contested", _("Warning or suspension contested")
    RETENTION_ANONYMISED = "retention.anonymised", _("Personal data removed after retention")
    AUDIT_EXPORTED = "audit.exported", _("Audit trail exported")
    AUDIT_CHECK_REQUESTED = "audit.check_requested", _("Audit trail check requested")
    AUDIT_CHECK_FINISHED = "audit.check_finished", _("Audit trail check finished")
    TRANSPARENCY_REPORT_REQUESTED = (
        "transparency.report_requested",
        _("Transparency report requested"),
    )
    TRANSPARENCY_REPORT_BUILT = "transparency.report_built", _("Transparency report built")
    TRANSPARENCY_REPORT_FAILED = "transparency.report_failed", _("Transparency report failed")
    DATA_EXPORTED = "account.data_exported", _("Personal data downloaded")
    API_TOKEN_ISSUED = "api.token_issued", _("Platform API key issued")
    API_TOKEN_REVOKED = "api.token_revoked", _("Platform API key revoked")
    STATEMENTS_RECEIVED = "api.statements_received", _("Statements of reasons received by API")


GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit trail.

    Written only by ``appeals.services.audit.audit_record``. A database trigger
    refuses UPDATE (and, on PostgreSQL, DELETE); ``manage.py verify_audit``
    recomputes the chain and names the first broken link.
    """

    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events_as_actor",
    )
    actor_repr = models.CharField(_("actor as recorded"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=64, choices=AuditAction.choices)
    # The object an event concerns: one typed, nullable key per domain noun,
    # plus a text representation that survives anonymisation.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    jurisdiction = models.ForeignKey(
        "appeals.Jurisdiction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    platform = models.ForeignKey(
        "appeals.Platform", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    takedown = models.ForeignKey(
        "appeals.Takedown", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal = models.ForeignKey(
        "appeals.Appeal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    harm_report = models.ForeignKey(
        "appeals.HarmReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    organisation = models.ForeignKey(
        "appeals.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_repr = models.CharField(_("object as recorded"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["action", "occurred_at"], name="audit_action_when")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} at {self.occurred_at:%Y-%m-%d %H:%M:%S}"


class AuditCheck(models.Model):
    """One run of the audit-chain verification, done by a worker."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    checked = models.PositiveBigIntegerField(default=0)
    intact = models.BooleanField(null=True)
    broken_event = models.PositiveBigIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"audit check {self.pk}"
