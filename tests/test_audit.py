from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from appeals.models import AuditAction, AuditEvent, Platform
from appeals.models.audit import GENESIS_HASH
from appeals.services.audit import audit_record, audit_verify_chain


@contextmanager
def trigger_disabled() -> Iterator[None]:
    """What an attacker with table-owner rights could do: switch the guard off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's foreign keys are deferred; ALTER TABLE needs none pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE appeals_auditevent DISABLE TRIGGER appeals_auditevent_append_only"
            )
            yield
            cursor.execute(
                "ALTER TABLE appeals_auditevent ENABLE TRIGGER appeals_auditevent_append_only"
            )
        else:
            cursor.execute("DROP TRIGGER appeals_auditevent_append_only")
            yield
            cursor.execute(
                "CREATE TRIGGER appeals_auditevent_append_only BEFORE UPDATE ON "
                "appeals_auditevent BEGIN SELECT RAISE(ABORT, 'append-only'); END"
            )


def _three_events() -> list[AuditEvent]:
    platform = Platform.objects.create(slug="chirp", name="Chirp")
    return [
        audit_record(action=AuditAction.DEMO_SEEDED, details={"n": 1}),
        audit_record(action=AuditAction.DEMO_SEEDED, target=platform, details={"n": 2}),
        audit_record(action=AuditAction.DEMO_SEEDED, details={"n": 3, "text": "é ü <b>"}),
    ]


@pytest.mark.django_db
def test_each_event_links_to_the_hash_of_the_one_before() -> None:
    first, second, third = _three_events()
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert second.object_repr == "Chirp"
    assert audit_verify_chain().intact


@pytest.mark.django_db
def test_verify_audit_passes_on_an_untouched_trail(capsys: pytest.CaptureFixture[str]) -> None:
    _three_events()
    call_command("verify_audit")
    assert "3 events checked" in capsys.readouterr().out


@pytest.mark.django_db
def test_editing_an_event_makes_verify_audit_fail_naming_that_event(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, second, _ = _three_events()
    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE appeals_auditevent SET details = %s WHERE id = %s", ['{"n": 99}', second.id]
        )
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"event #{second.id}" in err
    assert "content does not match" in err


@pytest.mark.django_db
def test_removing_an_event_breaks_the_chain_at_the_next_one() -> None:
    _, second, third = _three_events()
    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM appeals_auditevent WHERE id = %s", [second.id])
    report = audit_verify_chain()
    assert report.first_break is not None
    assert report.first_break.event_id == third.id


@pytest.mark.django_db
def test_the_database_refuses_to_update_an_audit_event() -> None:
    event = audit_record(action=AuditAction.DEMO_SEEDED)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="account.signed_in")


@pytest.mark.postgresql
@pytest.mark.django_db
def test_postgresql_refuses_to_delete_an_audit_event() -> None:
    event = audit_record(action=AuditAction.DEMO_SEEDED)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_an_unknown_action_is_refused() -> None:
    with pytest.raises(ValueError):
        audit_record(action="case.teleported")  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_never_fork_the_chain() -> None:
    per_thread = 25
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(name: str) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit_record(action=AuditAction.DEMO_SEEDED, details={"w": name, "i": i})
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) == 2 * per_thread
    prev_hashes = [e.prev_hash for e in events]
    assert len(set(prev_hashes)) == len(prev_hashes), "two events claim the same predecessor"
    report = audit_verify_chain()
    assert report.intact, report
    assert report.checked == 2 * per_thread


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 250])
def test_a_batch_of_events_continues_the_chain_in_order(count: int) -> None:
    """Sweeps append their batch at once (bulk INSERT; COPY on PostgreSQL from 100
    events): the chain must read exactly as if each had been recorded alone."""
    from django.utils import timezone

    from appeals.services.audit import AuditEntry, audit_record_many

    platform = Platform.objects.create(slug="batchy", name="Batchy")
    audit_record(action=AuditAction.DEMO_SEEDED, details={"before": True})
    events = audit_record_many(
        entries=[
            AuditEntry(
                action=AuditAction.STATEMENTS_RECEIVED,
                target=platform,
                details={"n": n, "text": "café <b> \u00e9"},
            )
            for n in range(count)
        ],
        occurred_at=timezone.now(),
    )
    audit_record(action=AuditAction.DEMO_SEEDED, details={"after": True})
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in events] == [e.pk for e in stored[-count - 1 : -1]]
    assert [e.details["n"] for e in stored[-count - 1 : -1]] == list(range(count))
    assert all(b.prev_hash == a.hash for a, b in pairwise(stored))
    assert audit_verify_chain().intact
