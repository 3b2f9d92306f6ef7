"""Queueing a task: ``appeals.tasks.enqueue`` hands it to the queue after commit only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from appeals import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks, "async_task", lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls


def test_a_task_is_queued_after_commit_with_its_arguments(
    queued: list[tuple[Any, ...]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue("appeals.tasks.render_letter", "abc", task_name="letter-abc")
        tasks.enqueue("appeals.tasks.run_audit_check", 7)
        assert queued == []  # not before the commit
    assert queued == [
        (("appeals.tasks.render_letter", "abc"), {"task_name": "letter-abc"}),
        (("appeals.tasks.run_audit_check", 7), {}),
    ]


def test_a_rolled_back_action_queues_nothing(
    queued: list[tuple[Any, ...]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                tasks.enqueue("appeals.tasks.run_audit_check", 7)
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
    assert callbacks == [] and queued == []


def test_services_queue_tasks_only_through_enqueue() -> None:
    """No service dispatches on commit by hand (and so none can forget to)."""
    services = Path(tasks.__file__).parent / "services"
    by_hand = re.compile(r"on_commit\(\s*lambda:\s*async_task", re.DOTALL)
    assert [p.name for p in services.glob("*.py") if by_hand.search(p.read_text())] == []


def test_every_task_a_service_names_exists() -> None:
    appeals = Path(tasks.__file__).parent
    named = set()
    for path in appeals.rglob("*.py"):
        named |= set(re.findall(r"[\"']appeals\.tasks\.(\w+)[\"']", path.read_text()))
    assert named and all(callable(getattr(tasks, name, None)) for name in named), named
