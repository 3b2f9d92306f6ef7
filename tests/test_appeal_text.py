"""The status sentence shown on the case list and the case page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import translation

from appeals.models import Appeal, AppealStatus, User
from appeals.templatetags.appeal_text import status_sentence
from tests.factories import file_appeal

pytestmark = pytest.mark.django_db


def test_every_status_has_a_sentence_in_every_language(appellant: User) -> None:
    appeal = file_appeal(appellant)
    appeal.decided_at = appeal.closed_at = appeal.due_at
    seen: set[str] = set()
    for status in AppealStatus:
        appeal.status = status
        for language in ("en", "fr", "de"):
            with translation.override(language):
                sentence = status_sentence(appeal)
            assert sentence and sentence not in seen, (status, language)
            seen.add(sentence)


def test_the_date_is_the_day_in_the_cases_own_time_zone(appellant: User) -> None:
    appeal: Appeal = file_appeal(appellant)
    # 23:30 UTC on 30 November is already 1 December in Berlin.
    appeal.due_at = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    appeal.status = AppealStatus.UNDER_REVIEW
    with translation.override("en"):
        assert status_sentence(appeal).endswith("by 1 December 2026.")
    with translation.override("de"):
        assert "1 Dezember 2026" in status_sentence(appeal)
