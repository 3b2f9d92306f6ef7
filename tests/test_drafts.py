"""A draft appeal's answers, kept by appeals/services/drafts.py (the filing view does HTTP)."""

from __future__ import annotations

import pytest

from appeals.models import AppealDraft, AuditEvent, User
from appeals.services.drafts import (
    DraftOutdated,
    draft_first_missing_step,
    draft_forget_step,
    draft_jurisdiction,
    draft_save_step,
    draft_start,
    draft_visit,
)

pytestmark = pytest.mark.django_db


def _saved(draft: AppealDraft) -> dict:
    return AppealDraft.objects.get(pk=draft.pk).answers


def test_input_is_kept_as_typed_even_when_it_does_not_validate(appellant: User) -> None:
    draft = draft_start(owner=appellant)
    changed = draft_save_step(draft=draft, step="grounds", raw={"grounds": ["typed\x00 text"]})
    assert changed is False
    assert _saved(draft) == {"raw": {"grounds": {"grounds": ["typed text"]}}}
    assert draft_first_missing_step(draft, "check") == "takedown"


def test_a_changed_takedown_forgets_the_details_asked_for_the_old_one(appellant: User) -> None:
    draft = draft_start(owner=appellant)
    first = {"platform": "chirp", "platform_reference": "A-1", "jurisdiction": "DE"}
    assert draft_save_step(draft=draft, step="takedown", cleaned=first) is False
    draft_save_step(draft=draft, step="details", cleaned={"informed_on": "2026-11-01"})
    assert draft_save_step(draft=draft, step="takedown", cleaned=first) is False
    assert "details" in _saved(draft)
    other = {**first, "platform_reference": "A-2"}
    assert draft_save_step(draft=draft, step="takedown", cleaned=other) is True
    assert "details" not in _saved(draft) and _saved(draft)["takedown"] == other


def test_a_forgotten_step_is_asked_again_and_a_visit_is_noted_once(appellant: User) -> None:
    draft = draft_start(owner=appellant)
    draft_save_step(draft=draft, step="takedown", cleaned={"jurisdiction": "XX"})
    with pytest.raises(DraftOutdated) as outdated:
        draft_jurisdiction(draft)
    assert outdated.value.step == "takedown"
    draft_forget_step(draft=draft, step="takedown")
    assert draft_first_missing_step(draft, "details") == "takedown"
    draft_visit(draft=draft, step="check")
    draft_visit(draft=draft, step="check")
    assert _saved(draft)["visited"] == ["check"]


def test_a_draft_is_the_persons_own_work_and_leaves_no_event(appellant: User) -> None:
    draft = draft_start(owner=appellant)
    draft_save_step(draft=draft, step="evidence", cleaned={"confirmed": True})
    assert not AuditEvent.objects.exists()
