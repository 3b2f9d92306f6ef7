"""Authorization census: every URL pattern, every role, GET and POST.

A new URL without an entry in ``RULES`` fails ``test_every_url_has_a_rule``.
Anonymous requests to non-public URLs are sent to sign in or get 404, never 200,
and a refused POST writes nothing (the audit trail does not move).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from appeals.models import (
    AppealDraft,
    AuditEvent,
    Decision,
    Escalation,
    ImportRun,
    Letter,
    LiaisonProfile,
    Membership,
    Organisation,
    Retraction,
    TransparencyReport,
    TrustedFlaggerDesignation,
    User,
)
from appeals.permissions import user_roles
from appeals.roles import Role
from appeals.services.appeals import appeal_message_post
from appeals.services.audit_checkpoints import checkpoint_write
from appeals.services.decisions import appeal_decide
from appeals.services.evidence import evidence_add
from appeals.services.reports import Location, ReportSubmission, report_file
from tests.conftest import sign_in
from tests.factories import chirp, claimed_appeal, decision_input, jurisdiction, pdf_upload

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "appellant_a",
    "appellant_b",
    "advocate_a",
    "advocate_b",
    "reviewer_de",
    "reviewer_fr",
    "reviewer_de_without_mfa",
    "supervisor",
    "auditor",
    "liaison",
)

# Who may GET each page. "post" lists URLs whose writes are checked for refusal.
PUBLIC = "public"
SIGNED_IN = "signed_in"
OWNER = "owner"  # appellant A's own case, draft, files, letters
ORG_A = "org_a"  # organisation A's members
ADVOCATE = "advocate"  # members of any verified organisation
STAFF = "staff"  # any staff role, with a second factor
REVIEW_DE = "review_de"  # reviewers of the case's jurisdiction, and supervisors
REVIEWERS = "reviewers"  # any reviewer or supervisor (lists scoped to their jurisdictions)
SUPERVISOR = "supervisor"
LIAISON = "liaison"  # the liaison of the case's platform
AUDITOR = "auditor"
API = "api"  # platform keys only: every session, signed in or not, gets 401
AUDIT_OR_SUPERVISOR = "audit_or_supervisor"

RULES: dict[str, tuple[str, bool]] = {
    # name: (who may see it, is it a write that only takes POST)
    "home": (PUBLIC, False),
    "contest_start": (PUBLIC, False),
    "report_start": (PUBLIC, False),
    "report_new": (PUBLIC, False),
    "report_received": (PUBLIC, False),
    "report_track": (PUBLIC, False),
    "report_track_link": (PUBLIC, False),
    "letter_verify": (PUBLIC, False),
    "signing_certificate": (PUBLIC, False),
    "audit_checkpoint": (PUBLIC, False),
    "statistics": (PUBLIC, False),
    "statistics_json": (PUBLIC, False),
    "statistics_csv": (PUBLIC, False),
    "transparency_report_download": (PUBLIC, False),
    "my_data": (SIGNED_IN, False),
    "audit_trail": (AUDITOR, False),
    "audit_verify": (AUDITOR, True),
    "audit_export": (AUDITOR, False),
    "audit_request_report": (AUDIT_OR_SUPERVISOR, True),
    "audit_report": (AUDIT_OR_SUPERVISOR, False),
    "report_status": (ORG_A, False),
    "report_revoke_link": (ORG_A, True),
    "filing_start": (SIGNED_IN, True),
    "my_cases": (SIGNED_IN, False),
    "filing_takedown": (OWNER, False),
    "filing_details": (OWNER, False),
    "filing_grounds": (OWNER, False),
    "filing_evidence": (OWNER, False),
    "filing_evidence_remove": (OWNER, True),
    "filing_check": (OWNER, False),
    "appeal_detail": (OWNER, False),
    "appeal_received": (OWNER, False),
    "appeal_message": (OWNER, True),
    "appeal_withdraw": (OWNER, False),
    "evidence_download": (OWNER, False),
    "letter_download": (OWNER, False),
    "compensation_accept": (OWNER, True),
    "advocate_dashboard": (ADVOCATE, False),
    "advocate_report": (ORG_A, False),
    "advocate_contest": (ORG_A, True),
    "advocate_export": (ORG_A, False),
    "advocate_members": (ORG_A, False),
    "staff_home": (STAFF, False),
    "staff_imports": (SUPERVISOR, False),
    "api_openapi": (API, False),
    "api_appeals": (API, False),
    "api_retractions": (API, False),
    "api_confirm": (API, True),
    "api_dispute": (API, True),
    "api_statements": (API, True),
    "staff_import": (SUPERVISOR, False),
    "review_queue": (REVIEWERS, False),
    "review_case": (REVIEW_DE, False),
    "review_claim": (REVIEW_DE, True),
    "review_release": (REVIEW_DE, True),
    "review_request_information": (REVIEW_DE, True),
    "review_decide": (REVIEW_DE, True),
    "review_approve": (REVIEW_DE, True),
    "review_return": (REVIEW_DE, True),
    "review_assign": (SUPERVISOR, True),
    "review_flag": (SUPERVISOR, True),
    "review_evidence": (REVIEW_DE, False),
    "review_letter": (REVIEW_DE, False),
    "review_correct_decision": (SUPERVISOR, True),
    "review_mark_unfounded": (REVIEW_DE, True),
    "staff_referrals": (REVIEWERS, False),
    "staff_report": (REVIEW_DE, False),
    "staff_update_referral": (REVIEW_DE, True),
    "staff_report_unfounded": (REVIEW_DE, True),
    "supervisor_overview": (SUPERVISOR, False),
    "supervisor_auto_assign": (SUPERVISOR, True),
    "supervisor_deadlines": (SUPERVISOR, False),
    "supervisor_handle_escalation": (SUPERVISOR, True),
    "liaison_orders": (LIAISON, False),
    "liaison_order": (LIAISON, False),
    "liaison_confirm": (LIAISON, True),
    "liaison_dispute": (LIAISON, True),
    "liaison_offer": (LIAISON, True),
    "liaison_paid": (LIAISON, True),
}
# Included URLconfs are covered as a whole: allauth's pages are public sign-in
# pages, the admin is behind allauth and the staff second factor (tests/test_accounts.py),
# and i18n is Django's language switch.
INCLUDED = {"accounts/", "i18n/", "admin/"}


def _named_patterns() -> tuple[set[str], set[str]]:
    names, includes = set(), set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            includes.add(str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            names.add(pattern.name)
    return names, includes


def test_every_url_has_a_rule() -> None:
    names, includes = _named_patterns()
    assert names - set(RULES) == set(), "add the new URLs to RULES in tests/test_census.py"
    assert set(RULES) - names == set(), "RULES names URLs that no longer exist"
    assert includes == INCLUDED


def allowed(rule: str, role: str) -> bool:
    return (
        role
        in {
            PUBLIC: set(ROLES),
            SIGNED_IN: set(ROLES) - {"anonymous"},
            OWNER: {"appellant_a"},
            ORG_A: {"advocate_a"},
            ADVOCATE: {"advocate_a", "advocate_b"},
            STAFF: {"reviewer_de", "reviewer_fr", "supervisor", "auditor", "liaison"},
            REVIEW_DE: {"reviewer_de", "supervisor"},
            REVIEWERS: {"reviewer_de", "reviewer_fr", "supervisor"},
            SUPERVISOR: {"supervisor"},
            LIAISON: {"liaison"},
            AUDITOR: {"auditor"},
            AUDIT_OR_SUPERVISOR: {"auditor", "supervisor"},
            API: set(),
        }[rule]
    )


@pytest.fixture
def world(make_user: Callable[..., User]) -> dict[str, Any]:
    """One of everything, owned by A; B, other roles and other jurisdictions look in."""
    users = {
        "appellant_a": make_user("a@example.org"),
        "appellant_b": make_user("b@example.org"),
        "advocate_a": make_user("adv-a@example.org"),
        "advocate_b": make_user("adv-b@example.org"),
        "reviewer_de": make_user("rev-de@example.org", roles=(Role.REVIEWER,), mfa=True),
        "reviewer_fr": make_user(
            "rev-fr@example.org", roles=(Role.REVIEWER,), mfa=True, jurisdictions=("FR",)
        ),
        "reviewer_de_without_mfa": make_user("rev-nomfa@example.org", roles=(Role.REVIEWER,)),
        "supervisor": make_user("sup@example.org", roles=(Role.SUPERVISOR,), mfa=True),
        "auditor": make_user("aud@example.org", roles=(Role.AUDITOR,), mfa=True),
        "liaison": make_user("liaison@example.org", roles=(Role.PLATFORM_LIAISON,), mfa=True),
    }
    LiaisonProfile.objects.create(user=users["liaison"]).platforms.add(chirp())
    orgs = {}
    for key in ("a", "b"):
        org = Organisation.objects.create(
            name=f"Org {key}", country=jurisdiction("DE"), verified_at=timezone.now()
        )
        Membership.objects.create(
            organisation=org,
            user=users[f"advocate_{key}"],
            email=users[f"advocate_{key}"].email,
            role="admin",
            joined_at=timezone.now(),
        )
        orgs[key] = org
    TrustedFlaggerDesignation.objects.create(
        organisation=orgs["a"],
        jurisdiction=jurisdiction("DE"),
        expertise="x",
        valid_from=date(2026, 1, 1),
    )
    appeal = claimed_appeal(users["appellant_a"], users["reviewer_de"])
    evidence = evidence_add(upload=pdf_upload(), uploaded_by=users["appellant_a"], appeal=appeal)
    appeal_message_post(appeal=appeal, author=users["appellant_a"], body="Hello")
    proposal = appeal_decide(
        appeal=appeal,
        reviewer=users["reviewer_de"],
        decision=decision_input(remedies_ordered=["compensation"]),
    )
    letter = Letter.objects.create(
        appeal=appeal, kind="acknowledgement", subject_key="census", language="en", status="issued"
    )
    letter.file.save("census.pdf", ContentFile(b"%PDF-1.4 census"), save=True)
    draft = AppealDraft.objects.create(owner=users["appellant_a"], answers={})
    draft_file = evidence_add(upload=pdf_upload(), uploaded_by=users["appellant_a"], draft=draft)
    report = report_file(
        submission=ReportSubmission(
            categories=["hate"],
            explanation="x",
            locations=[Location(url="https://chirp.example/h/1", platform=chirp())],
            jurisdictions=[jurisdiction("DE")],
            victim_reference="V",
            consent_given_by="victim",
            consent_scope="Reporting",
            requested_actions=["removal"],
            good_faith=True,
        ),
        filed_by=users["advocate_a"],
        organisation=orgs["a"],
    ).report
    retraction = Retraction.objects.create(
        appeal=appeal,
        decision=Decision.objects.create(  # an earlier, retracted decision
            appeal=appeal,
            outcome="reversed",
            reasons="r",
            basis_kind="contractual",
            basis="b",
            decided_by=users["supervisor"],
            decided_at=timezone.now(),
            retracted_at=timezone.now(),
        ),
        platform=chirp(),
        remedy="reinstate_content",
        ordered_at=timezone.now(),
        due_at=timezone.now(),
    )
    transparency = TransparencyReport.objects.create(
        period_start=date(2026, 1, 1), period_end=date(2027, 1, 1), status="done", result={}
    )
    escalation = Escalation.objects.create(
        kind="appeal_overdue", appeal=appeal, due_at=timezone.now(), created_at=timezone.now()
    )
    args = {
        "filing_takedown": [draft.pk],
        "filing_details": [draft.pk],
        "filing_grounds": [draft.pk],
        "filing_evidence": [draft.pk],
        "filing_check": [draft.pk],
        "filing_evidence_remove": [draft.pk, draft_file.pk],
        "report_track_link": ["not-a-real-token"],
        "report_status": [report.reference],
        "report_revoke_link": [report.reference],
        "advocate_report": [report.reference],
        "advocate_contest": [report.reference, report.referrals.get().pk],
        "advocate_export": [orgs["a"].pk],
        "advocate_members": [orgs["a"].pk],
        "evidence_download": [appeal.reference, evidence.pk],
        "review_evidence": [appeal.reference, evidence.pk],
        "letter_download": [appeal.reference, letter.pk],
        "review_letter": [appeal.reference, letter.pk],
        "compensation_accept": [appeal.reference, retraction.pk],
        "review_approve": [appeal.reference, proposal.pk],
        "review_return": [appeal.reference, proposal.pk],
        "staff_report": [report.reference],
        "staff_report_unfounded": [report.reference],
        "staff_update_referral": [report.reference, report.referrals.get().pk],
        "supervisor_handle_escalation": [escalation.pk],
        "liaison_order": [retraction.pk],
        "liaison_confirm": [retraction.pk],
        "liaison_dispute": [retraction.pk],
        "liaison_offer": [retraction.pk],
        "liaison_paid": [retraction.pk],
        "api_confirm": [retraction.pk],
        "api_dispute": [retraction.pk],
        "transparency_report_download": [transparency.pk, "json"],
        "audit_report": [transparency.pk],
        "staff_import": [ImportRun.objects.create(source_name="x.csv", source_sha256="0").pk],
    }
    checkpoint_write(by="census")  # so the published checkpoint exists
    for name in RULES:
        if name.startswith(("appeal_", "review_")) and name not in args and name != "review_queue":
            args[name] = [appeal.reference]
    return {"users": users, "args": args}


def _client(world: dict[str, Any], role: str) -> Client:
    if role == "anonymous":
        return Client()
    user = world["users"][role]
    with_mfa = role != "reviewer_de_without_mfa" and bool(user_roles(user))
    return sign_in(Client(), user, with_mfa=with_mfa)


def _sent_to_sign_in(response: Any) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


def _sent_to_second_factor(response: Any) -> bool:
    return response.status_code == 302 and response.url.startswith("/accounts/2fa/")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_the_rules_say(world: dict[str, Any], role: str) -> None:
    client = _client(world, role)
    problems = []
    for name, (rule, post_only) in sorted(RULES.items()):
        url = reverse(name, args=world["args"].get(name, []))
        response = client.get(url)
        status = response.status_code
        if rule == API:
            ok = status in (401, 405)
        elif post_only:
            ok = status == 405
        elif allowed(rule, role):
            ok = (status in (200, 302, 400) and not _sent_to_sign_in(response)) or (
                name == "report_track_link" and status == 404
            )
        elif role == "anonymous":
            ok = _sent_to_sign_in(response) or status == 404
        elif role == "reviewer_de_without_mfa" and rule in (STAFF, REVIEW_DE, REVIEWERS):
            ok = status == 302 and _sent_to_second_factor(response)
        else:
            ok = status == 404
        if not ok:
            problems.append(f"GET {name} as {role}: {status}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_refused_writes_change_nothing(world: dict[str, Any], role: str) -> None:
    client = _client(world, role)
    problems = []
    for name, (rule, post_only) in sorted(RULES.items()):
        if not post_only or allowed(rule, role) or rule == PUBLIC:
            continue
        url = reverse(name, args=world["args"].get(name, []))
        before = AuditEvent.objects.count()
        response = client.post(url, {"body": "x", "reason": "x", "question": "x", "note": "x"})
        ok = (
            response.status_code in (401, 404)
            or _sent_to_sign_in(response)
            or _sent_to_second_factor(response)
        )
        if not ok or AuditEvent.objects.count() != before:
            problems.append(f"POST {name} as {role}: {response.status_code}")
    assert not problems, "\n".join(problems)
