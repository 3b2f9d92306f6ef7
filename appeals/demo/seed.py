"""Loading demo data. Idempotent: running it again changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from appeals.accounts.totp import totp_activate
from appeals.demo.accounts import (
    DEMO_JURISDICTIONS,
    DEMO_OUT_OF_COURT_BODIES,
    DEMO_PLATFORMS,
    DEMO_TAKEDOWNS,
    DEMO_TOTP_SECRET,
    DEMO_USERS,
)
from appeals.demo.seams import demo_seed_seams
from appeals.models import (
    Appeal,
    AppealDraft,
    AuditAction,
    BasisKind,
    ConflictDeclaration,
    Jurisdiction,
    LiaisonProfile,
    Outcome,
    OutOfCourtBody,
    Platform,
    Remedy,
    ReviewerProfile,
    Takedown,
    User,
)
from appeals.pdf import signing_files
from appeals.roles import Role
from appeals.services.appeals import (
    AppealSubmission,
    TakedownDescription,
    appeal_request_information,
    appeal_submit,
    appeal_withdraw,
)
from appeals.services.assignment import appeal_claim
from appeals.services.audit import audit_record
from appeals.services.decisions import DecisionInput, appeal_decide
from appeals.services.roles import role_grant
from appeals.vocabulary import AutomatedDecision, Category, DecisionGround, Measure


class DemoDataRefused(Exception):
    pass


def demo_seed() -> dict[str, int]:
    """Create the demo jurisdictions, platforms and one account per role.

    Refused in production: demo passwords and the TOTP secret are public.
    """
    if settings.PRODUCTION:
        raise DemoDataRefused("Demo data is never loaded when PORTAL_ENV=production.")
    with transaction.atomic():
        return _seed()


def _seed() -> dict[str, int]:
    created = {
        "jurisdictions": 0,
        "platforms": 0,
        "users": 0,
        "appeals": 0,
        "reports": 0,
        "history": 0,
        "seams": 0,
    }
    for code, name, languages, tz, calendar, eu in DEMO_JURISDICTIONS:
        _, made = Jurisdiction.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "languages": languages,
                "time_zone": tz,
                "holiday_calendar": calendar,
                "is_eu_member": eu,
            },
        )
        created["jurisdictions"] += made
    for slug, name, website in DEMO_PLATFORMS:
        _, made = Platform.objects.get_or_create(
            slug=slug, defaults={"name": name, "website": website}
        )
        created["platforms"] += made
    for demo in DEMO_USERS:
        user = User.objects.filter(email=demo.email).first()
        if user is None:
            user = User.objects.create_user(
                demo.email,
                demo.password,
                full_name=demo.full_name,
                is_staff=demo.is_superuser,
                is_superuser=demo.is_superuser,
            )
            created["users"] += 1
        EmailAddress.objects.get_or_create(
            user=user, email=demo.email, defaults={"verified": True, "primary": True}
        )
        for role in demo.roles:
            role_grant(user=user, role=role, granted_by=None)
        if Role.PLATFORM_LIAISON in demo.roles and not hasattr(user, "liaison_profile"):
            LiaisonProfile.objects.create(user=user).platforms.set(Platform.objects.all())
        if Role.REVIEWER in demo.roles and not hasattr(user, "reviewer_profile"):
            profile = ReviewerProfile.objects.create(user=user, languages=["en", "fr", "de"])
            profile.jurisdictions.set(Jurisdiction.objects.all())
        if (
            demo.needs_mfa
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            totp_activate(user, DEMO_TOTP_SECRET)
    # A declared conflict for the admin's staffing pages, on a platform with no demo
    # cases, so it hides nothing a demo walk needs.
    supervisor = User.objects.get(email="supervisor@example.org")
    ConflictDeclaration.objects.get_or_create(
        reviewer=supervisor,
        platform=Platform.objects.get(slug="forumhub"),
        defaults={"note": "Advised ForumHub on its community rules in 2025"},
    )
    for name, website, codes in DEMO_OUT_OF_COURT_BODIES:
        body, made = OutOfCourtBody.objects.get_or_create(name=name, defaults={"website": website})
        if made:
            body.jurisdictions.set(Jurisdiction.objects.filter(code__in=codes))
    for slug, reference, measure, ground, rule, statement in DEMO_TAKEDOWNS:
        Takedown.objects.get_or_create(
            platform=Platform.objects.get(slug=slug),
            platform_reference=reference,
            defaults={
                "measures": [measure],
                "decision_ground": ground,
                "legal_provision": rule if ground.endswith("ILLEGAL_CONTENT") else "",
                "terms_clause": rule if ground.endswith("INCOMPATIBLE_CONTENT") else "",
                "decided_on": timezone.localdate() - timedelta(days=3),
                "automated_detection": True,
                "automated_decision": AutomatedDecision.PARTIALLY,
                "statement_text": statement,
                "category": Category.ILLEGAL_OR_HARMFUL_SPEECH,
                "territorial_scope": ["DE", "FR", "IE", "NL"],
                "source": Takedown.Source.IMPORTED,
            },
        )
    signing_files()  # the demo's self-signed letter certificate, made once
    created["appeals"] = _seed_appeals()
    created["reports"] = _seed_reports()
    created["history"] = _seed_history()
    created["seams"] = demo_seed_seams()
    if any(created.values()):
        audit_record(action=AuditAction.DEMO_SEEDED, details=created)
    return created


def _file_described(
    appellant: User,
    *,
    platform: Platform,
    jurisdiction: Jurisdiction,
    filed: datetime,
    content_url: str,
    rule_cited: str,
    statement_text: str,
    grounds: str,
) -> Appeal:
    """File a demo appeal against a removal the portal has no statement for."""
    return appeal_submit(
        appellant=appellant,
        draft=AppealDraft.objects.create(owner=appellant, answers={}),
        now=filed,
        submission=AppealSubmission(
            platform=platform,
            platform_reference="",
            jurisdiction=jurisdiction,
            takedown=None,
            description=TakedownDescription(
                content_url=content_url,
                measures=[Measure.CONTENT_REMOVED],
                decision_ground=DecisionGround.INCOMPATIBLE_CONTENT,
                rule_cited=rule_cited,
                decided_on=(filed - timedelta(days=2)).date(),
                statement_text=statement_text,
            ),
            informed_on=(filed - timedelta(days=1)).date(),
            late_reason="",
            grounds=grounds,
            remedies=[Remedy.REINSTATE_CONTENT],
            language="en",
        ),
    )


def _seed_appeals() -> int:
    """One appeal of the demo appellant in each state of the workflow."""
    appellant = User.objects.get(email=DEMO_USERS[0].email)
    if appellant.appeals.exists():
        return 0
    reviewer = User.objects.get(email="reviewer@example.org")
    germany = Jurisdiction.objects.get(code="DE")
    chirp = Platform.objects.get(slug="chirp")
    now = timezone.now()

    def file(days_ago: int, grounds: str) -> Appeal:
        filed = now - timedelta(days=days_ago)
        return _file_described(
            appellant,
            platform=chirp,
            jurisdiction=germany,
            filed=filed,
            content_url=f"https://chirp.example/alex/{days_ago}",
            rule_cited="Community rules, section 3",
            statement_text="Removed for breaking our community rules.",
            grounds=grounds,
        )

    file(1, "My post quoted a politician to criticise what he said. It was not hateful.")
    waiting = file(4, "The video shows a protest. I filmed it as a journalist.")
    appeal_claim(appeal=waiting, reviewer=reviewer, now=now - timedelta(days=3))
    appeal_request_information(
        appeal=waiting,
        reviewer=reviewer,
        question="Can you tell us where and when you filmed the protest?",
        now=now - timedelta(days=2),
    )
    reviewing = file(2, "The account was suspended by mistake: I never posted that.")
    appeal_claim(appeal=reviewing, reviewer=reviewer, now=now - timedelta(days=1))
    reversed_ = file(10, "The photo is my own artwork and has no nudity.")
    appeal_claim(appeal=reversed_, reviewer=reviewer, now=now - timedelta(days=9))
    appeal_decide(
        appeal=reversed_,
        reviewer=reviewer,
        decision=DecisionInput(
            outcome=Outcome.REVERSED,
            reasons="The picture is a painting without nudity. It does not break section 3.",
            basis_kind=BasisKind.CONTRACTUAL,
            basis="Community rules, section 3: the post does not contain what the rule forbids.",
            remedies_ordered=[Remedy.REINSTATE_CONTENT],
        ),
        now=now - timedelta(days=5),
    )
    upheld = file(12, "I only repeated what everyone says.")
    appeal_claim(appeal=upheld, reviewer=reviewer, now=now - timedelta(days=11))
    appeal_decide(
        appeal=upheld,
        reviewer=reviewer,
        decision=DecisionInput(
            outcome=Outcome.UPHELD,
            reasons="The post calls for violence against a group. Section 3 forbids this.",
            basis_kind=BasisKind.CONTRACTUAL,
            basis="Community rules, section 3 (hateful conduct), which the post breaks.",
        ),
        now=now - timedelta(days=6),
    )
    checking = file(6, "They took my video down and I lost income; I ask for compensation.")
    appeal_claim(appeal=checking, reviewer=reviewer, now=now - timedelta(days=5))
    appeal_decide(
        appeal=checking,
        reviewer=reviewer,
        decision=DecisionInput(
            outcome=Outcome.REVERSED,
            reasons="The video is news reporting, which section 3 allows.",
            basis_kind=BasisKind.CONTRACTUAL,
            basis="Community rules, section 3, news exception.",
            remedies_ordered=[Remedy.REINSTATE_CONTENT, Remedy.COMPENSATION],
        ),
        now=now - timedelta(days=1),
    )
    withdrawn = file(3, "I changed my mind about this one.")
    appeal_withdraw(appeal=withdrawn, by=appellant, now=now - timedelta(days=2))
    return appellant.appeals.count()


def _seed_reports() -> int:
    """A verified organisation (trusted flagger in Germany) and reports in each state."""
    from datetime import date

    from appeals.demo.accounts import DEMO_ORGANISATION
    from appeals.models import (
        HarmReport,
        Membership,
        Organisation,
        ReferralStatus,
        TrustedFlaggerDesignation,
    )
    from appeals.services.reports import Location, ReportSubmission, referral_update, report_file

    if HarmReport.objects.exists():
        return 0
    operator = User.objects.get(email="operator@example.org")
    advocate = User.objects.get(email="advocate@example.org")
    reviewer = User.objects.get(email="reviewer@example.org")
    germany = Jurisdiction.objects.get(code="DE")
    org = Organisation.objects.create(
        name=DEMO_ORGANISATION,
        country=germany,
        website="https://safe-online.example",
        verified_at=timezone.now(),
        verified_by=operator,
        verification_basis="Charity registry entry checked; call with the director.",
        is_mandated_body=True,
    )
    Membership.objects.create(
        organisation=org,
        user=advocate,
        email=advocate.email,
        role=Membership.Role.ADMIN,
        joined_at=timezone.now(),
    )
    TrustedFlaggerDesignation.objects.create(
        organisation=org,
        jurisdiction=germany,
        expertise="Image-based sexual abuse",
        valid_from=date(2025, 1, 1),
    )
    chirp, picturebook = (
        Platform.objects.get(slug="chirp"),
        Platform.objects.get(slug="picturebook"),
    )
    three = list(Jurisdiction.objects.filter(code__in=["DE", "FR", "IE"]).order_by("code"))
    now = timezone.now()
    spread = report_file(
        submission=ReportSubmission(
            categories=["intimate_images", "sextortion"],
            explanation=(
                "Intimate images of our client, posted by a former partner who demands money."
            ),
            locations=[
                Location(url="https://chirp.example/p/4711", platform=chirp, sha256="9f" * 32),
                Location(
                    url="https://picturebook.example/i/88", platform=picturebook, sha256="3c" * 32
                ),
            ],
            jurisdictions=three,
            victim_reference="Client 14",
            consent_given_by="victim",
            consent_scope="Reporting these addresses to the platforms and the police.",
            requested_actions=["removal", "preservation"],
            good_faith=True,
            urgent=True,
        ),
        filed_by=advocate,
        organisation=org,
        now=now - timedelta(hours=30),
    ).report
    steps = {
        ("chirp", "DE"): [ReferralStatus.SENT, ReferralStatus.ACTIONED],
        ("chirp", "FR"): [ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED],
        ("chirp", "IE"): [ReferralStatus.SENT, ReferralStatus.REFUSED],
        ("picturebook", "DE"): [ReferralStatus.SENT],
    }
    for referral in spread.referrals.select_related("platform", "jurisdiction"):
        for status in steps.get((referral.platform.slug, referral.jurisdiction.code), []):
            referral_update(
                referral=referral,
                status=status,
                outcome="Content removed." if status == ReferralStatus.ACTIONED else "",
                by=reviewer,
            )
    report_file(
        submission=ReportSubmission(
            categories=["doxxing"],
            explanation="Home address and phone number of a journalist posted with threats.",
            locations=[Location(url="https://chirp.example/p/9001", platform=chirp)],
            jurisdictions=[germany],
            victim_reference="Journalist A",
            consent_given_by="victim",
            consent_scope="Reporting to the platform and the police.",
            requested_actions=["removal"],
            good_faith=True,
            threat_to_life=True,
        ),
        filed_by=advocate,
        organisation=org,
        now=now - timedelta(hours=2),
    )
    report_file(
        submission=ReportSubmission(
            categories=["child_sexual_abuse"],
            explanation="Abuse material found in a public group.",
            locations=[Location(url="https://picturebook.example/g/12", platform=picturebook)],
            jurisdictions=[germany],
            victim_reference="Unknown child",
            consent_given_by="advocate",
            consent_scope="Reporting to the platform and the police.",
            requested_actions=["removal", "preservation"],
            good_faith=True,
        ),
        filed_by=None,
        now=now - timedelta(hours=1),
    )
    return HarmReport.objects.count()


HISTORY_OUTCOMES = (
    Outcome.UPHELD,
    Outcome.REVERSED,
    Outcome.UPHELD,
    Outcome.PARTLY_REVERSED,
    Outcome.UPHELD,
    Outcome.MANIFESTLY_UNFOUNDED,
)


def _seed_history() -> int:
    """Forty decided appeals over the last two months, from several people, so the public
    statistics have figures above the suppression threshold."""
    if User.objects.filter(email__endswith="@history.example").exists():
        return 0
    reviewer = User.objects.get(email="reviewer@example.org")
    platforms = list(Platform.objects.order_by("slug"))
    jurisdictions = list(Jurisdiction.objects.filter(code__in=["DE", "FR", "IE"]).order_by("code"))
    now = timezone.now()
    for i in range(40):
        person = User.objects.create_user(f"person{i:02d}@history.example", None)
        filed = now - timedelta(days=60 - i, hours=i % 7)
        jurisdiction = jurisdictions[i % len(jurisdictions)]
        appeal = _file_described(
            person,
            platform=platforms[i % len(platforms)],
            jurisdiction=jurisdiction,
            filed=filed,
            content_url=f"https://example.com/history/{i}",
            rule_cited="Community rules",
            statement_text="",
            grounds="Demo history.",
        )
        appeal_claim(appeal=appeal, reviewer=reviewer, now=filed + timedelta(hours=5))
        outcome = HISTORY_OUTCOMES[i % len(HISTORY_OUTCOMES)]
        reverses = outcome in (Outcome.REVERSED, Outcome.PARTLY_REVERSED)
        appeal_decide(
            appeal=appeal,
            reviewer=reviewer,
            decision=DecisionInput(
                outcome=outcome,
                reasons="Demo history decision.",
                basis_kind=BasisKind.CONTRACTUAL,
                basis="Community rules.",
                remedies_ordered=[Remedy.REINSTATE_CONTENT] if reverses else [],
            ),
            now=filed + timedelta(days=3 + i % 15, hours=i % 11),
        )
    return 40
