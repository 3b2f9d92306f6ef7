"""A person's draft appeal: their own unsent answers, saved after every step of filing.

A draft is not a case: nobody but its owner sees it, and nothing in it is part of the
record until the appeal is filed (``appeals.appeal_submit`` records ``appeal.filed``).
So its writes carry no audit event of their own (tests/write_census.py says so).

Each step's raw input is kept even when it does not validate, so an error or a reload
never loses what the person typed; a valid step also keeps its cleaned answers, as
JSON, from which ``draft_submission`` rebuilds the domain values at the end.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings

from appeals.models import (
    AppealDraft,
    Jurisdiction,
    Mandate,
    Platform,
    Remedy,
    Takedown,
    User,
)
from appeals.selectors.appeals import takedown_find
from appeals.services.appeals import AppealSubmission, TakedownDescription, active_mandates_for
from appeals.vocabulary import DecisionGround, Measure

STEPS = ("takedown", "details", "grounds", "evidence", "check")
OPTIONAL_STEPS = frozenset({"evidence"})

# A changed answer to one step makes the answers to these steps stale: they are asked
# again (another decision has other details).
_ASK_AGAIN_AFTER_CHANGE = {"takedown": ("details",)}


class DraftOutdated(Exception):
    """A saved answer no longer fits the portal's data (a platform or country was
    renamed, a record removed): the person is asked that step again."""

    def __init__(self, step: str) -> None:
        super().__init__(step)
        self.step = step


# --- Writes ---------------------------------------------------------------------------


def draft_start(*, owner: User) -> AppealDraft:
    return AppealDraft.objects.create(owner=owner, answers={})


def _to_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Platform):
        return value.slug
    if isinstance(value, Jurisdiction):
        return value.code
    if isinstance(value, Mandate):
        return value.pk
    return value


def draft_save_step(
    *,
    draft: AppealDraft,
    step: str,
    raw: dict[str, list[str]] | None = None,
    cleaned: dict[str, Any] | None = None,
) -> bool:
    """Keep a step's input as typed (``raw``) and, when it validated, its answers
    (``cleaned``). Returns True when the answers replaced different earlier ones; the
    steps that depended on them are then forgotten, to be asked again."""
    if raw is not None:
        # Kept as typed, except NUL characters: nobody types them, the form refuses
        # them with its own message, and PostgreSQL cannot store them in JSON.
        draft.answers.setdefault("raw", {})[step] = {
            name: [value.replace("\x00", "") for value in values] for name, values in raw.items()
        }
    changed = False
    if cleaned is not None:
        previous = draft.answers.get(step)
        answers = {k: _to_json(v) for k, v in cleaned.items() if k != "attachments"}
        draft.answers[step] = answers
        changed = bool(previous) and previous != answers
        if changed:
            for later in _ASK_AGAIN_AFTER_CHANGE.get(step, ()):
                draft.answers.pop(later, None)
    draft.save(update_fields=["answers", "updated_at"])
    return changed


def draft_forget_step(*, draft: AppealDraft, step: str) -> None:
    """Drop a step's answers (they no longer fit), so the person is asked it again."""
    draft.answers.pop(step, None)
    draft.save(update_fields=["answers", "updated_at"])


def draft_visit(*, draft: AppealDraft, step: str) -> None:
    """Note that the person reached ``step`` (after the check page, "Change" links
    lead back to it)."""
    visited = draft.answers.setdefault("visited", [])
    if step not in visited:
        visited.append(step)
        draft.save(update_fields=["answers", "updated_at"])


# --- Reads ------------------------------------------------------------------------------


def draft_step_done(draft: AppealDraft, step: str) -> bool:
    return step in draft.answers


def draft_first_missing_step(draft: AppealDraft, upto: str) -> str | None:
    """The first required step before ``upto`` that has no answers yet."""
    for step in STEPS[: STEPS.index(upto)]:
        if step not in OPTIONAL_STEPS and not draft_step_done(draft, step):
            return step
    return None


def draft_takedown(draft: AppealDraft) -> Takedown | None:
    """The imported takedown the first step's answers point at, if any."""
    answers = draft.answers.get("takedown", {})
    platform = Platform.objects.filter(slug=answers.get("platform")).first()
    if platform is None:
        return None
    return takedown_find(platform, answers.get("platform_reference", ""))


def draft_jurisdiction(draft: AppealDraft) -> Jurisdiction:
    """The country chosen in the first step; DraftOutdated if it is gone."""
    code = draft.answers.get("takedown", {}).get("jurisdiction")
    jurisdiction = Jurisdiction.objects.filter(code=code).first()
    if jurisdiction is None:
        raise DraftOutdated("takedown")
    return jurisdiction


def _mandate(draft: AppealDraft, mandate_id: Any) -> Mandate | None:
    if not mandate_id:
        return None
    mandate = active_mandates_for(draft.owner).filter(pk=mandate_id).first()
    if mandate is None:
        raise DraftOutdated("grounds")
    return mandate


def draft_submission(draft: AppealDraft) -> AppealSubmission:
    """Rebuild the domain values from the saved answers (validated again by the service).

    Raises DraftOutdated naming the step to ask again if an answer no longer fits.
    """
    a = draft.answers
    platform = Platform.objects.filter(slug=a.get("takedown", {}).get("platform")).first()
    if platform is None:
        raise DraftOutdated("takedown")
    details = a.get("details", {})
    takedown = None
    if details.get("takedown"):
        takedown = Takedown.objects.filter(public_id=details["takedown"]).first()
        if takedown is None:
            raise DraftOutdated("details")
    try:
        informed_on = date.fromisoformat(details["informed_on"])
        decided_on = (
            date.fromisoformat(details["decided_on"]) if details.get("decided_on") else None
        )
    except (KeyError, TypeError, ValueError):
        raise DraftOutdated("details") from None
    if any(m not in Measure.values for m in details.get("measures", [])) or (
        details.get("decision_ground") and details["decision_ground"] not in DecisionGround.values
    ):
        raise DraftOutdated("details")
    grounds = a.get("grounds", {})
    if (
        not grounds.get("grounds")
        or any(r not in Remedy.values for r in grounds.get("remedies", []))
        or grounds.get("language") not in dict(settings.LANGUAGES)
    ):
        raise DraftOutdated("grounds")
    description = None
    if takedown is None:
        description = TakedownDescription(
            content_url=details.get("content_url", ""),
            measures=details.get("measures", []),
            decision_ground=details.get("decision_ground", ""),
            rule_cited=details.get("rule_cited", ""),
            decided_on=decided_on,
            statement_text=details.get("statement_text", ""),
        )
    return AppealSubmission(
        platform=platform,
        platform_reference=a["takedown"].get("platform_reference", ""),
        jurisdiction=draft_jurisdiction(draft),
        takedown=takedown,
        description=description,
        informed_on=informed_on,
        late_reason=details.get("late_reason", ""),
        grounds=grounds["grounds"],
        remedies=grounds.get("remedies", []),
        language=grounds["language"],
        mandate=_mandate(draft, grounds.get("mandate")),
    )
