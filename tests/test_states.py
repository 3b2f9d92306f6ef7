"""Every state machine, every (from, to) pair: allowed changes succeed and write, the
others raise and write nothing; a status read before someone else changed it raises
StaleState and writes nothing. Runs on SQLite and on PostgreSQL (``make test``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from appeals.errors import IllegalTransition, Refused, StaleState
from appeals.models import (
    Decision,
    DecisionProposal,
    HarmReport,
    ImportRun,
    Letter,
    OutboundEmail,
    Referral,
    Retraction,
    TransparencyReport,
    User,
)
from appeals.states import MACHINES, Machine, transition
from tests.factories import chirp, file_appeal, germany

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _appeal(user: User) -> Any:
    return file_appeal(user)


def _decision(user: User) -> Decision:
    appeal = _appeal(user)
    return Decision.objects.create(
        appeal=appeal,
        outcome="reversed",
        reasons="The post is satire.",
        basis_kind="contractual",
        basis="Community rules, section 3.",
        decided_by=user,
        decided_at=NOW,
    )


def _retraction(user: User) -> Retraction:
    decision = _decision(user)
    return Retraction.objects.create(
        appeal=decision.appeal,
        decision=decision,
        platform=chirp(),
        remedy="reinstate_content",
        ordered_at=NOW,
        due_at=NOW + timedelta(hours=72),
    )


def _harm_report(user: User) -> HarmReport:
    return HarmReport.objects.create(
        reference=f"HRP-{HarmReport.objects.count():08d}",
        filed_by=user,
        victim_reference="V1",
        consent_given_by="victim",
        consent_scope="This report.",
        consent_at=NOW,
        explanation="An intimate image shared without consent.",
        filed_at=NOW,
    )


def _referral(user: User) -> Referral:
    return Referral.objects.create(
        report=_harm_report(user),
        platform=chirp(),
        jurisdiction=germany(),
        due_at=NOW + timedelta(days=7),
        created_at=NOW,
        updated_at=NOW,
    )


def _proposal(user: User) -> DecisionProposal:
    return DecisionProposal.objects.create(
        appeal=_appeal(user),
        outcome="reversed",
        reasons="The post is satire.",
        basis_kind="contractual",
        basis="Community rules, section 3.",
        proposed_by=user,
        proposed_at=NOW,
    )


def _letter(user: User) -> Letter:
    return Letter.objects.create(
        appeal=_appeal(user), kind=Letter.Kind.ACKNOWLEDGEMENT, subject_key="matrix", language="en"
    )


def _email(user: User) -> OutboundEmail:
    return OutboundEmail.objects.create(template="matrix", to=[user.email], subject="Matrix")


def _import_run(user: User) -> ImportRun:
    return ImportRun.objects.create(source_name="matrix.csv", source_sha256="0" * 64)


def _transparency_report(user: User) -> TransparencyReport:
    return TransparencyReport.objects.create(
        period_start=date(2026, 1, 1), period_end=date(2026, 7, 1), requested_by=user
    )


ROWS: dict[str, Callable[[User], models.Model]] = {
    "appeal": _appeal,
    "retraction order": _retraction,
    "harm report": _harm_report,
    "referral": _referral,
    "decision proposal": _proposal,
    "letter": _letter,
    "outbound email": _email,
    "import": _import_run,
    "transparency report": _transparency_report,
}
BY_NAME = {machine.name: machine for machine in MACHINES}


def _states(machine: Machine) -> list[str]:
    field = machine.model._meta.get_field(machine.field)
    return [value for value, _label in field.choices or []]


PAIRS = [
    pytest.param(machine.name, current, target, id=f"{machine.name}:{current}->{target}")
    for machine in MACHINES
    for current in _states(machine)
    for target in _states(machine)
]


def _row(machine: Machine, pk: object) -> dict[str, Any]:
    return machine.model._default_manager.filter(pk=pk).values().get()


def _in_state(machine: Machine, user: User, state: str) -> models.Model:
    obj = ROWS[machine.name](user)
    machine.model._default_manager.filter(pk=obj.pk).update(**{machine.field: state})
    obj.refresh_from_db()
    return obj


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "current", "target"), PAIRS)
def test_every_pair_of_every_machine(appellant: User, name: str, current: str, target: str):
    machine = BY_NAME[name]
    obj = _in_state(machine, appellant, current)
    before = _row(machine, obj.pk)
    if target in machine.transitions[current]:
        transition(machine, obj, target)
        after = _row(machine, obj.pk)
        assert after[machine.field] == target == getattr(obj, machine.field)
        assert {k: v for k, v in after.items() if k != machine.field} == {
            k: v for k, v in before.items() if k != machine.field
        }
    else:
        with pytest.raises(IllegalTransition) as raised:
            transition(machine, obj, target)
        assert (raised.value.current, raised.value.target) == (current, target)
        assert _row(machine, obj.pk) == before
        assert getattr(obj, machine.field) == current


@pytest.mark.django_db
@pytest.mark.parametrize("name", [m.name for m in MACHINES])
def test_a_status_changed_meanwhile_raises_and_writes_nothing(appellant: User, name: str):
    machine = BY_NAME[name]
    # A state with a way out, and another state the row is moved to behind our back.
    current = next(s for s in _states(machine) if machine.transitions[s] - {s})
    target = sorted(machine.transitions[current] - {current})[0]
    other = next(s for s in _states(machine) if s != current)
    obj = _in_state(machine, appellant, current)
    machine.model._default_manager.filter(pk=obj.pk).update(**{machine.field: other})
    before = _row(machine, obj.pk)
    with pytest.raises(StaleState):
        transition(machine, obj, target)
    assert _row(machine, obj.pk) == before


def test_every_status_field_has_its_machine():
    """A new status field without a table fails here: add its Machine to appeals.states."""
    covered = {(m.model, m.field) for m in MACHINES}
    found = {
        (model, field.name)
        for model in apps.get_app_config("appeals").get_models()
        for field in model._meta.get_fields()
        if field.name in ("status", "state") and getattr(field, "choices", None)
    }
    assert found == covered
    for machine in MACHINES:
        states = set(_states(machine))
        assert set(machine.transitions) == states, machine.name
        assert set().union(*machine.transitions.values()) <= states, machine.name
        assert set(ROWS) == set(BY_NAME)


@pytest.mark.django_db
def test_transition_errors_are_sentences_for_the_person(appellant: User):
    appeal = _in_state(BY_NAME["appeal"], appellant, "withdrawn")
    with translation.override("en"), pytest.raises(Refused) as raised:
        transition(BY_NAME["appeal"], appeal, "decided")
    message = raised.value.message
    assert message == str(raised.value)
    assert message.endswith(".") and message[0].isupper()
    for internal in ("withdrawn", "decided", "→", appeal.reference, str(appeal.pk)):
        assert internal not in message
    assert raised.value.code == "illegal_transition"
    stale = type(appeal).objects.get(pk=appeal.pk)
    stale.status = "submitted"  # what a page loaded earlier still believes
    with translation.override("en"), pytest.raises(Refused) as raised:
        transition(BY_NAME["appeal"], stale, "under_review")
    assert raised.value.code == "stale_state"
    for internal in ("submitted", "withdrawn", appeal.reference, str(appeal.pk)):
        assert internal not in raised.value.message
