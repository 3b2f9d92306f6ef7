"""Harm reports (DSA Art. 16) and their referrals: one per (platform, jurisdiction),
each with its own clock, followed in parallel."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from appeals.deadlines import due_at_for
from appeals.errors import Refused
from appeals.evidence_types import DetectedType, EvidenceRefused
from appeals.models import (
    AuditAction,
    CaseType,
    ContentLocation,
    Escalation,
    HarmCategory,
    HarmReport,
    Jurisdiction,
    Organisation,
    Platform,
    Priority,
    Referral,
    ReferralStatus,
    StatKind,
    User,
)
from appeals.models.appeal import new_reference
from appeals.models.report import NO_UPLOAD_CATEGORIES, OPEN_REFERRAL_STATUSES
from appeals.permissions import can_change_referral, can_contest_referral
from appeals.selectors.organisations import is_trusted_flagger
from appeals.services.audit import audit_record
from appeals.services.emails import email_send_template
from appeals.services.misuse import refusal_if_suspended
from appeals.services.stats import stat_record
from appeals.states import REFERRAL, IllegalTransition, StaleState, transition

LINK_VALID_FOR = timedelta(days=90)


class ReportRefused(Refused):
    """A harm report or referral change is refused (appeals.errors.Refused)."""


@dataclass(frozen=True)
class Location:
    url: str
    platform: Platform
    hosting_country: str = ""
    sha256: str = ""
    perceptual_hash: str = ""


@dataclass(frozen=True)
class ReportSubmission:
    categories: list[str]
    explanation: str
    locations: list[Location]
    jurisdictions: list[Jurisdiction]
    victim_reference: str
    consent_given_by: str
    consent_scope: str
    requested_actions: list[str]
    good_faith: bool
    urgent: bool = False
    threat_to_life: bool = False
    victim_contact: str = ""
    reporter_name: str = ""
    reporter_email: str = ""
    files: list[UploadedFile] = field(default_factory=list)


@dataclass(frozen=True)
class FiledReport:
    report: HarmReport
    pin: str | None
    link_token: str | None


def _check(submission: ReportSubmission, filed_by: User | None) -> None:
    if not submission.categories:
        raise ReportRefused(_("Choose what the content is."))
    if not submission.locations:
        raise ReportRefused(_("Give at least one web address where the content is."))
    if not submission.jurisdictions:
        raise ReportRefused(_("Choose at least one country whose law applies."))
    if not submission.consent_given_by or not submission.consent_scope.strip():
        raise ReportRefused(_("Record who gave consent to this report and for what."))
    if not submission.good_faith:
        raise ReportRefused(_("Confirm that you believe what you report is accurate."))
    protected = set(submission.categories) & NO_UPLOAD_CATEGORIES
    if protected and submission.files:
        # The portal never holds intimate images or child abuse material: only URLs and hashes.
        raise ReportRefused(
            _(
                "For intimate images and child abuse material we never accept files, to "
                "protect the people in them. Give the web address and, if you can, the "
                "hash computed on your device."
            )
        )
    # DSA Art. 16(2): name and email, except for child sexual abuse reports.
    anonymous = filed_by is None
    child_abuse = HarmCategory.CHILD_SEXUAL_ABUSE in submission.categories
    if (
        anonymous
        and not child_abuse
        and not (submission.reporter_name.strip() and submission.reporter_email.strip())
    ):
        raise ReportRefused(_("Give your name and email address, so the platform can reply."))


def _checked_files(files: list[UploadedFile]) -> list[tuple[UploadedFile, DetectedType]]:
    """Every file's cap and type, before anything is stored: a refusal then loses
    nothing but the files, which the reporter attaches again."""
    from appeals.services.evidence import MAX_FILES_PER_CASE, evidence_check

    if len(files) > MAX_FILES_PER_CASE:
        raise ReportRefused(
            _("You can send up to %(count)d files with a report. You attached %(sent)d.")
            % {"count": MAX_FILES_PER_CASE, "sent": len(files)}
        )
    try:
        return [(upload, evidence_check(upload)) for upload in files]
    except EvidenceRefused as exc:
        raise ReportRefused(str(exc.message)) from exc


def _deadline_type(categories: list[str]) -> CaseType:
    if set(categories) & NO_UPLOAD_CATEGORIES:
        return CaseType.REFERRAL_INTIMATE
    return CaseType.REFERRAL


def _open_referral_for(url: str, platform: Platform) -> Referral | None:
    return (
        Referral.objects.filter(
            status__in=OPEN_REFERRAL_STATUSES, platform=platform, report__locations__url=url
        )
        .order_by("created_at")
        .first()
    )


def report_file(
    *,
    submission: ReportSubmission,
    filed_by: User | None,
    organisation: Organisation | None = None,
    now: datetime | None = None,
) -> FiledReport:
    """Record a harm report and route it: one referral per (platform, jurisdiction)
    pair, deadlines from policy (48 hours for intimate images and child abuse,
    priority for trusted flaggers). A URL already under an open referral is linked,
    not sent again. A threat to life is escalated at once (DSA Art. 18)."""
    now = now or timezone.now()
    refusal = refusal_if_suspended(filed_by)
    if refusal:
        raise ReportRefused(refusal)
    _check(submission, filed_by)
    checked_files = _checked_files(submission.files)
    anonymous = filed_by is None
    pin = f"{secrets.randbelow(10**8):08d}" if anonymous else None
    token = secrets.token_urlsafe(32) if anonymous else None
    with transaction.atomic():
        report = HarmReport.objects.create(
            reference=_unused_reference(),
            organisation=organisation,
            filed_by=filed_by,
            reporter_name=submission.reporter_name.strip(),
            reporter_email=submission.reporter_email.strip(),
            victim_reference=submission.victim_reference.strip(),
            victim_contact=submission.victim_contact.strip(),
            consent_given_by=submission.consent_given_by,
            consent_scope=submission.consent_scope.strip(),
            consent_at=now,
            categories=sorted(set(submission.categories)),
            urgent=submission.urgent,
            threat_to_life=submission.threat_to_life,
            explanation=submission.explanation.strip(),
            requested_actions=list(submission.requested_actions),
            filed_at=now,
            pin_hash=make_password(pin) if pin else "",
            link_token_hash=hashlib.sha256(token.encode()).hexdigest() if token else "",
            link_expires_at=now + LINK_VALID_FOR if token else None,
        )
        report.jurisdictions.set(submission.jurisdictions)
        new_platforms: list[Platform] = []
        linked = 0
        for location in submission.locations:
            existing = _open_referral_for(location.url, location.platform)
            ContentLocation.objects.create(
                report=report,
                url=location.url,
                platform=location.platform,
                hosting_country=location.hosting_country.upper(),
                sha256=location.sha256.lower(),
                perceptual_hash=location.perceptual_hash.lower(),
                linked_referral=existing,
            )
            if existing is not None:
                linked += 1
            elif location.platform not in new_platforms:
                new_platforms.append(location.platform)
        case_type = _deadline_type(submission.categories)
        flagged_in = []
        referrals = []
        for jurisdiction in submission.jurisdictions:
            trusted = is_trusted_flagger(organisation, jurisdiction, now)
            if trusted:
                flagged_in.append(jurisdiction.code)
            priority = Priority.PRIORITY if trusted else Priority.STANDARD
            due = due_at_for(jurisdiction, case_type, priority, now)
            for platform in new_platforms:
                referrals.append(
                    Referral(
                        report=report,
                        platform=platform,
                        jurisdiction=jurisdiction,
                        due_at=due,
                        created_at=now,
                        updated_at=now,
                    )
                )
        Referral.objects.bulk_create(referrals)
        if flagged_in:
            HarmReport.objects.filter(pk=report.pk).update(trusted_flagger=True)
            report.trusted_flagger = True
        stat_record(
            kind=StatKind.REPORT_RECEIVED,
            at=now,
            time_zone=submission.jurisdictions[0].time_zone,
            category=report.categories[0],
            trusted_flagger=bool(flagged_in),
        )
        if report.threat_to_life:
            Escalation.objects.create(
                kind=Escalation.Kind.THREAT_TO_LIFE,
                report=report,
                due_at=now,
                created_at=now,
            )
        if checked_files:
            from appeals.services.evidence import evidence_add

            for upload, detected in checked_files:
                try:
                    evidence_add(
                        upload=upload,
                        uploaded_by=filed_by,
                        harm_report=report,
                        detected=detected,
                    )
                except EvidenceRefused as exc:
                    raise ReportRefused(str(exc.message)) from exc
        audit_record(
            action=AuditAction.REPORT_FILED,
            actor=filed_by,
            target=report,
            details={
                "referrals": len(referrals),
                "linked_locations": linked,
                "categories": report.categories,
                "trusted_flagger_in": flagged_in,
                "threat_to_life": report.threat_to_life,
            },
            occurred_at=now,
        )
        if report.threat_to_life:
            audit_record(
                action=AuditAction.REPORT_THREAT_ESCALATED,
                actor=filed_by,
                target=report,
                details={"jurisdictions": [j.code for j in submission.jurisdictions]},
                occurred_at=now,
            )
        contact = filed_by.email if filed_by else report.reporter_email
        if contact:
            email_send_template(
                template="report_received",
                to=[contact],
                context={"report": report, "referral_count": len(referrals)},
                language=(get_language() or "en")[:2],
            )
    return FiledReport(report=report, pin=pin, link_token=token)


def _unused_reference() -> str:
    for _attempt in range(10):
        reference = new_reference("HRP")
        if not HarmReport.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("could not find an unused report reference")


# --- Following a report without an account --------------------------------------


def report_link_revoke(
    *, report: HarmReport, by: User | None, via: str, now: datetime | None = None
) -> bool:
    """Switch the secret link off: it stops opening the report, and every session
    that opened it loses access on its next request. Audited; once only."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = HarmReport.objects.filter(
            pk=report.pk, link_revoked_at__isnull=True, link_expires_at__isnull=False
        ).update(link_revoked_at=now)
        if not updated:
            return False
        report.link_revoked_at = now
        audit_record(
            action=AuditAction.REPORT_LINK_REVOKED,
            actor=by,
            target=report,
            details={"by_holder_of": via},
            occurred_at=now,
        )
    return True


# --- Referral outcomes -----------------------------------------------------------


def referral_update(
    *, referral: Referral, status: ReferralStatus, outcome: str, by: User | None
) -> Referral:
    """Record what the platform did with a referral (compare-and-set on its status).
    Staff may change only the referrals of their own jurisdictions
    (``appeals.permissions.can_change_referral``); ``by=None`` is the system."""
    now = timezone.now()
    if by is not None and not can_change_referral(by, referral):
        raise ReportRefused(_("Only reviewers of this country can change this referral."))
    previous = referral.status
    with transaction.atomic():
        try:
            transition(REFERRAL, referral, status, outcome=outcome.strip(), updated_at=now)
        except IllegalTransition as exc:
            raise ReportRefused(
                _("That change is not possible from the referral's current state.")
            ) from exc
        except StaleState as exc:
            raise ReportRefused(
                _("Someone changed this referral meanwhile. Reload the page.")
            ) from exc
        if status in (ReferralStatus.ACTIONED, ReferralStatus.REFUSED):
            jurisdiction = referral.jurisdiction
            stat_record(
                kind=StatKind.REFERRAL_CLOSED,
                at=now,
                time_zone=jurisdiction.time_zone,
                jurisdiction=jurisdiction.code,
                platform=referral.platform.slug,
                category=referral.report.categories[0] if referral.report.categories else "",
                outcome=status,
                hours=(now - referral.created_at).total_seconds() / 3600,
                on_time=now <= referral.due_at,
            )
        audit_record(
            action=AuditAction.REFERRAL_UPDATED,
            actor=by,
            target=referral.report,
            details={"referral": str(referral.pk), "from": previous, "to": status},
            occurred_at=now,
        )
    return referral


def referral_contest(*, referral: Referral, by: User, reason: str) -> Referral:
    """The reporter contests a platform's refusal (DSA Art. 20: also open to notifiers):
    a case opens in the reviewers' queue."""
    from appeals.models import AppealDraft
    from appeals.services.appeals import AppealSubmission, TakedownDescription, appeal_submit

    if not can_contest_referral(by, referral):
        raise ReportRefused(
            _("Only the person who filed the report, or their organisation, can contest it.")
        )
    if referral.status != ReferralStatus.REFUSED:
        raise ReportRefused(_("Only a refused referral can be contested."))
    if referral.contested_appeal_id:
        raise ReportRefused(_("This refusal is already contested."))
    if not reason.strip():
        raise ReportRefused(_("Say why the platform's refusal is wrong."))
    location = referral.report.locations.filter(platform=referral.platform).first()
    with transaction.atomic():
        draft = AppealDraft.objects.create(
            owner=by, answers={"contested_referral": str(referral.pk)}
        )
        appeal = appeal_submit(
            appellant=by,
            draft=draft,
            submission=AppealSubmission(
                platform=referral.platform,
                platform_reference=referral.report.reference,
                jurisdiction=referral.jurisdiction,
                takedown=None,
                description=TakedownDescription(
                    content_url=location.url if location else "",
                    measures=[],
                    decision_ground="",
                    rule_cited="",
                    decided_on=referral.updated_at.date(),
                    statement_text=referral.outcome,
                ),
                informed_on=referral.updated_at.date(),
                late_reason="",
                grounds=reason.strip(),
                remedies=[],
                language="en",
            ),
        )
        Referral.objects.filter(pk=referral.pk).update(contested_appeal=appeal)
        referral.contested_appeal = appeal
        audit_record(
            action=AuditAction.REFERRAL_CONTESTED,
            actor=by,
            target=referral.report,
            details={"referral": str(referral.pk), "appeal": appeal.reference},
        )
    return referral
