from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal, AppealMessage, AuditAction, AuditEvent, EvidenceFile, User
from appeals.selectors.statistics import Period, statistics_for
from appeals.services.appeals import appeal_message_post
from appeals.services.decisions import appeal_decide
from appeals.services.evidence import evidence_add
from appeals.services.retention import REMOVED, retention_run
from tests.conftest import sign_in
from tests.factories import claimed_appeal, decision_input, pdf_upload

pytestmark = pytest.mark.django_db


def closed_case(appellant: User, reviewer: User) -> Appeal:
    appeal = claimed_appeal(appellant, reviewer)
    evidence_add(upload=pdf_upload(), uploaded_by=appellant, appeal=appeal)
    appeal_message_post(appeal=appeal, author=appellant, body="My phone is 0151 2345678.")
    appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    appeal.refresh_from_db()
    return appeal


def test_retention_removes_personal_data_keeps_statistics_and_respects_legal_hold(
    appellant: User,
    reviewer: User,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Callable,
) -> None:
    expired = closed_case(appellant, reviewer)
    held = closed_case(make_user("held@example.org"), reviewer)
    Appeal.objects.filter(pk=held.pk).update(legal_hold=True)
    path = EvidenceFile.objects.get(appeal=expired).file.path
    period = Period.parse(str(timezone.localdate().year), today=timezone.localdate())
    before = statistics_for(period)

    later = timezone.now() + timedelta(days=400)
    dry = retention_run(dry_run=True, now=later)
    assert dry.appeals == [expired.reference]
    assert Appeal.objects.get(pk=expired.pk).anonymised_at is None

    with django_capture_on_commit_callbacks(execute=True):
        result = retention_run(dry_run=False, now=later)
    assert result.appeals == [expired.reference]
    expired.refresh_from_db()
    assert expired.grounds == REMOVED and expired.anonymised_at is not None
    assert not EvidenceFile.objects.filter(appeal=expired).exists()
    import os

    assert not os.path.exists(path)
    assert AppealMessage.objects.get(appeal=expired).body == REMOVED
    assert (
        AuditEvent.objects.filter(appeal=expired, action=AuditAction.RETENTION_ANONYMISED).count()
        == 1
    )
    held.refresh_from_db()
    assert held.grounds != REMOVED and EvidenceFile.objects.filter(appeal=held).exists()
    assert statistics_for(period) == before
    assert retention_run(dry_run=False, now=later).appeals == []  # nothing twice


def test_nothing_goes_before_the_retention_period(appellant: User, reviewer: User) -> None:
    closed_case(appellant, reviewer)
    assert retention_run(dry_run=False, now=timezone.now() + timedelta(days=300)).appeals == []


def test_the_retention_command_has_a_dry_run(
    appellant: User, reviewer: User, capsys: pytest.CaptureFixture[str]
) -> None:
    closed_case(appellant, reviewer)
    call_command("retention", "--dry-run")
    assert "Would anonymise 0 appeals" in capsys.readouterr().out


def test_a_person_downloads_what_the_portal_holds_about_them(
    appellant: User, reviewer: User
) -> None:
    appeal = closed_case(appellant, reviewer)
    response = sign_in(Client(), appellant).get(reverse("my_data"))
    data = response.json()
    assert data["account"]["email"] == appellant.email
    assert data["appeals"][0]["reference"] == appeal.reference
    assert data["messages_written"][0]["body"] == "My phone is 0151 2345678."
    assert response["Content-Disposition"].startswith("attachment")
    assert Client().get(reverse("my_data")).status_code == 302
