"""Small builders for domain objects used across tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from appeals.models import AppealDraft, Jurisdiction, Platform, Takedown, User
from appeals.services.appeals import AppealSubmission, TakedownDescription, appeal_submit
from appeals.vocabulary import AutomatedDecision, DecisionGround, Measure

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


_JURISDICTIONS = {
    "DE": ("Germany", "Europe/Berlin"),
    "FR": ("France", "Europe/Paris"),
    "IE": ("Ireland", "Europe/Dublin"),
    "GB": ("United Kingdom", "Europe/London"),
    "US": ("United States", "America/New_York"),
}


def jurisdiction(code: str) -> Jurisdiction:
    name, tz = _JURISDICTIONS[code]
    return Jurisdiction.objects.get_or_create(
        code=code,
        defaults={"name": name, "time_zone": tz, "holiday_calendar": code, "languages": ["en"]},
    )[0]


def germany() -> Jurisdiction:
    return Jurisdiction.objects.get_or_create(
        code="DE",
        defaults={
            "name": "Germany",
            "languages": ["de"],
            "time_zone": "Europe/Berlin",
            "holiday_calendar": "DE",
            "is_eu_member": True,
        },
    )[0]


def chirp() -> Platform:
    return Platform.objects.get_or_create(slug="chirp", defaults={"name": "Chirp"})[0]


def known_takedown(reference: str = "SOR-0001") -> Takedown:
    return Takedown.objects.create(
        platform=chirp(),
        platform_reference=reference,
        content_url="https://chirp.example/p/1",
        measures=[Measure.CONTENT_REMOVED],
        decision_ground=DecisionGround.INCOMPATIBLE_CONTENT,
        terms_clause="Community rules, section 3",
        decided_on=date(2026, 11, 2),
        automated_decision=AutomatedDecision.PARTIALLY,
        statement_text="Removed for hate speech.",
        source=Takedown.Source.IMPORTED,
    )


def submission(**overrides: Any) -> AppealSubmission:
    values: dict[str, Any] = {
        "platform": chirp(),
        "platform_reference": "",
        "jurisdiction": germany(),
        "takedown": None,
        "description": TakedownDescription(
            content_url="https://chirp.example/p/9",
            measures=[Measure.CONTENT_REMOVED],
            decision_ground=DecisionGround.INCOMPATIBLE_CONTENT,
            rule_cited="Rule 3",
            decided_on=date(2026, 11, 1),
            statement_text="",
        ),
        "informed_on": date(2026, 11, 2),
        "late_reason": "",
        "grounds": "It was a news report, not hate speech.",
        "remedies": ["reinstate_content"],
        "language": "en",
    }
    values.update(overrides)
    return AppealSubmission(**values)


def file_appeal(user: User, *, now: datetime | None = None, **overrides: Any) -> Any:
    draft = AppealDraft.objects.create(owner=user, answers={})
    return appeal_submit(appellant=user, draft=draft, submission=submission(**overrides), now=now)


def pdf_upload(name: str = "screenshot.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def decision_input(**overrides: Any) -> Any:
    from appeals.models import BasisKind, Outcome
    from appeals.services.decisions import DecisionInput

    values: dict[str, Any] = {
        "outcome": Outcome.REVERSED,
        "reasons": "The post is satire and breaks no rule.",
        "basis_kind": BasisKind.CONTRACTUAL,
        "basis": "Community rules, section 3, read with the satire exception.",
        "remedies_ordered": ["reinstate_content"],
        "internal_note": "Checked with the policy team.",
    }
    values.update(overrides)
    return DecisionInput(**values)


def claimed_appeal(appellant: User, reviewer: User, **overrides: Any) -> Any:
    from appeals.services.assignment import appeal_claim

    return appeal_claim(appeal=file_appeal(appellant, **overrides), reviewer=reviewer)
