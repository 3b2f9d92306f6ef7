"""The machinery of the write-path census (tests/test_write_census.py).

A *write* is a new, changed or deleted row of a domain table: any table of the appeals
app's models, their many-to-many tables included. Two instruments find them:

- ``census()``: the contents of every domain table before and after a call, compared
  row by row; each written row must be named by an audit event the call added (the
  event's typed key, ``details["model"]``/``details["id"]``, or the same for a row it
  belongs to by foreign key, up to three steps: a reviewer's jurisdictions belong to
  the profile, which belongs to the user the event is keyed to).
- ``ServiceTracker``: every public function of ``appeals.services`` wrapped; each
  outermost call's SQL is watched (INSERT, UPDATE, DELETE on a domain table that
  touched a row), and a call that wrote without adding an audit event is recorded.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models

from appeals.models import AuditEvent, OutboundEmail, StatFact, Takedown

DOMAIN_MODELS: tuple[type[models.Model], ...] = tuple(
    apps.get_app_config("appeals").get_models(include_auto_created=True)
)
DOMAIN_TABLES = {m._meta.db_table: m for m in DOMAIN_MODELS}

# Tables in the database that are not domain tables, and why a write there needs no event.
OUTSIDE_DOMAIN: dict[str, str] = {
    "django_session": "sessions: who is signed in, not what the portal decided",
    "portal_cache": "the cache (rate-limit counters, PIN attempts): derived, expiring state",
    "django_q_": "django-q2's queue, results and schedules: each task's work is audited "
    "by the service it runs",
    "account_": "allauth's internals (addresses, confirmations); sign-up, confirmation and "
    "password changes are audited by appeals/accounts/signals.py",
    "mfa_": "allauth's second factors; adding and removing one is audited by "
    "appeals/accounts/signals.py",
    "socialaccount_": "allauth's internals (not enabled)",
    "django_admin_log": "the admin's own change log, kept beside our trail",
    "auth_": "framework tables: groups and permissions; granting a role is a row of "
    "appeals_user_groups, a domain table, and is audited",
    "django_content_type": "framework table",
    "django_migrations": "schema history",
    "sqlite_": "SQLite's own tables",
}

# Domain tables, or columns of them, whose writes need no event of their own.
EXEMPT_TABLES: dict[type[models.Model], str] = {
    AuditEvent: "the audit trail itself: its rows are what the census looks for",
}
# By table name: the rate counters come with another fix of issue 18 (appeals.RateCounter).
EXEMPT_TABLE_NAMES: dict[str, str] = {
    "appeals_ratecounter": "attempt counters per client or case (PIN tries, filing rate): "
    "operational, expiring state, like the cache; keyed hashes, nothing to name",
}
EXEMPT_COLUMNS: dict[str, tuple[frozenset[str], str]] = {
    "appeals_outboundemail": (
        frozenset({"status", "sent_at", "attempts", "last_error", "body_text", "body_html"}),
        "email delivery status, written by the delivery worker; the email itself is "
        "queued by an audited action",
    ),
    "appeals_platformtoken": (
        frozenset({"last_used_at"}),
        "when an API key was last used, at most once a minute; an audit event per API "
        "request would cost more than the request",
    ),
    "appeals_letter": (
        frozenset({"attempts", "last_error"}),
        "a worker's attempts at rendering a letter; the issued letter is audited (letter.issued)",
    ),
    "appeals_user": (
        frozenset({"last_login"}),
        "Django's last sign-in time; the sign-in itself is audited (account.signed_in)",
    ),
}


def _takedown_imported(row: dict[str, Any]) -> bool:
    return row.get("source") == Takedown.Source.IMPORTED


# Rows that need not be named one by one, because an event of the same call names what
# made them and counts them.
NAMED_AS_A_BATCH: dict[type[models.Model], tuple[Callable[[dict[str, Any]], bool], str]] = {
    OutboundEmail: (
        lambda row: True,
        "an outbox row, queued by the audited action that sends it (the event names the "
        "case or person; the email holds their address, not a key the trail has)",
    ),
    Takedown: (
        _takedown_imported,
        "an import writes thousands of takedowns; its events name the run and count them",
    ),
    StatFact: (
        lambda row: True,
        "an anonymous count written by the audited action it counts (no personal data, "
        "no key to name)",
    ),
}


# Public service functions that never write a domain row (reads, pure helpers), or whose
# write is checked elsewhere; each with the reason.
SERVICES_NOT_WRITING = {
    "appeals.active_mandates_for": "a read",
    "assignment.open_case_count": "a read",
    "audit.event_hash": "pure: the hash of an event",
    "audit.audit_record": "writes the trail itself",
    "audit.audit_record_many": "writes the trail itself",
    "audit.audit_verify_chain": "a read",
    "drafts.draft_step_done": "a read",
    "drafts.draft_first_missing_step": "a read",
    "drafts.draft_takedown": "a read",
    "drafts.draft_jurisdiction": "a read",
    "drafts.draft_submission": "a read: the saved answers as the values appeal_submit takes",
    "decisions.four_eyes_reasons": "a read",
    "emails.email_queue": "queues an outbox row for an audited caller (delivery is exempt)",
    "emails.email_send_template": "queues an outbox row for an audited caller",
    "emails.email_deliver": "delivery status (exempt)",
    "emails.email_retry_due": "delivery status (exempt)",
    "evidence.evidence_count": "a read",
    "imports.file_sha256": "pure",
    "imports.print_progress": "prints",
    "imports.import_run": "the worker's side of imports.import_request (the task "
    "appeals.tasks.import_task): tested by the web upload",
    "letters.letter_context": "a read",
    "letters.letter_html": "renders",
    "letters.letter_verify_code": "a read",
    "letters.letter_verify_file": "a read",
    "misuse.active_suspension": "a read",
    "misuse.refusal_if_suspended": "a read",
    "platform_api.token_hash": "pure",
    "platform_api.platform_for_token": "a read; last_used_at is exempt",
    "platform_api.api_key_details": "pure",
    "reference_data.model_label": "pure",
    "stats.stat_record": "an anonymous count for an audited caller (exempt)",
    # Services of the other fixes of issue 18 (merged beside this census):
    "audit.audit_head": "a read",
    "audit_checkpoints.audit_verify": "a read of the trail and the checkpoint files",
    "audit_checkpoints.checkpoint_file": "a path",
    "audit_checkpoints.checkpoint_latest": "a read",
    "audit_checkpoints.checkpoint_write": "appends a signed head to the checkpoint file and "
    "the log, outside the database",
    "audit_checkpoints.checkpoints_read": "a read",
    "audit_checkpoints.signature_problem": "pure",
    "audit_checkpoints.signed_text": "pure",
    "audit_checkpoints.signing_certificate_pem": "a read",
    "audit_checkpoints.trusted_keys": "a read",
    "evidence.evidence_check": "reads an upload, stores nothing",
    "ratelimit.rate_hit": "rate counters (exempt, see EXEMPT_TABLE_NAMES)",
    "ratelimit.rate_lock": "rate counters (exempt, see EXEMPT_TABLE_NAMES)",
    "ratelimit.rate_refund": "rate counters (exempt, see EXEMPT_TABLE_NAMES)",
    "ratelimit.rate_counters_purge": "rate counters (exempt, see EXEMPT_TABLE_NAMES)",
}


# Helpers that write only for a caller that audits what they write (their rows are an
# outbox entry or an anonymous count, exempt from naming).
FOR_AN_AUDITED_CALLER = {
    **{
        name: SERVICES_NOT_WRITING[name]
        for name in (
            "emails.email_queue",
            "emails.email_send_template",
            "stats.stat_record",
            "audit.audit_record",
            "audit.audit_record_many",
        )
    },
    "letters.letter_request": "queues a letter inside the audited action that needs it "
    "(appeal.filed, appeal.decided); the letter is audited when issued (letter.issued)",
    "letters.letters_supersede": "part of corrections.decision_correct, which records "
    "decision.retracted",
    "retractions.retractions_cancel_for": "part of corrections.decision_correct, which "
    "records decision.retracted",
    "evidence.evidence_add": "a file on an appeal is audited (appeal.evidence_added); on a "
    "draft it is the person's own unsent work, part of the record once the appeal is filed "
    "(appeal.filed); on a report, part of report_file (report.filed)",
    "evidence.evidence_remove_from_draft": "a draft's file, deleted before anything was "
    "sent (drafts are not cases)",
    **dict.fromkeys(
        (
            "drafts.draft_start",
            "drafts.draft_save_step",
            "drafts.draft_forget_step",
            "drafts.draft_visit",
        ),
        "a draft's answers: the person's own unsent work, seen by nobody else, part of the "
        "record once the appeal is filed (appeal.filed); drafts are not cases",
    ),
}


# Services known to write without an event, each fixed on another branch of the same
# issue. An entry here that is seen writing *with* an event fails the run: remove it.
KNOWN_GAPS: dict[str, str] = {}


# --- Row snapshots -------------------------------------------------------------------

Rows = dict[type[models.Model], dict[Any, dict[str, Any]]]


def snapshot() -> Rows:
    rows: Rows = {}
    for model in DOMAIN_MODELS:
        if model in EXEMPT_TABLES or model._meta.db_table in EXEMPT_TABLE_NAMES:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        pk = model._meta.pk.attname
        rows[model] = {str(r[pk]): r for r in model._base_manager.values(*names)}
    return rows


@dataclass(frozen=True)
class RowWrite:
    model: type[models.Model]
    pk: str
    kind: str  # created, changed, deleted
    fields: frozenset[str]

    def __str__(self) -> str:
        what = f" ({', '.join(sorted(self.fields))})" if self.kind == "changed" else ""
        return f"{self.model._meta.label_lower} {self.pk} {self.kind}{what}"


def _column_of(model: type[models.Model], attname: str) -> str:
    for f in model._meta.concrete_fields:
        if f.attname == attname:
            return str(f.column)
    return attname


def writes_between(before: Rows, after: Rows) -> list[RowWrite]:
    found: list[RowWrite] = []
    for model, old_rows in before.items():
        new_rows = after[model]
        exempt = EXEMPT_COLUMNS.get(model._meta.db_table, (frozenset(), ""))[0]
        for pk in new_rows.keys() - old_rows.keys():
            found.append(RowWrite(model, pk, "created", frozenset()))
        for pk in old_rows.keys() - new_rows.keys():
            found.append(RowWrite(model, pk, "deleted", frozenset()))
        for pk in old_rows.keys() & new_rows.keys():
            old, new = old_rows[pk], new_rows[pk]
            changed = {k for k in new if old.get(k) != new[k]}
            if {_column_of(model, k) for k in changed} - exempt:
                found.append(RowWrite(model, pk, "changed", frozenset(changed)))
    return found


# --- What events name ------------------------------------------------------------------

_TYPED_KEYS = {
    "user": "appeals.user",
    "jurisdiction": "appeals.jurisdiction",
    "platform": "appeals.platform",
    "takedown": "appeals.takedown",
    "appeal": "appeals.appeal",
    "harm_report": "appeals.harmreport",
    "organisation": "appeals.organisation",
}


def names_of(events: list[AuditEvent]) -> set[tuple[str, str]]:
    names: set[tuple[str, str]] = set()
    for event in events:
        for key, label in _TYPED_KEYS.items():
            value = getattr(event, f"{key}_id")
            if value is not None:
                names.add((label, str(value)))
        details = event.details if isinstance(event.details, dict) else {}
        if isinstance(details.get("model"), str) and details.get("id") is not None:
            names.add((details["model"], str(details["id"])))
    return names


def _row(model: type[models.Model], pk: str, before: Rows, after: Rows) -> dict[str, Any] | None:
    return after.get(model, {}).get(pk) or before.get(model, {}).get(pk)


def is_named(
    write: RowWrite, names: set[tuple[str, str]], before: Rows, after: Rows, depth: int = 3
) -> bool:
    """The row, or a row it belongs to by foreign key (up to ``depth`` steps), is named."""
    model, pk = write.model, write.pk
    if (model._meta.label_lower, pk) in names:
        return True
    row = _row(model, pk, before, after)
    if row is None:
        return False
    batch = NAMED_AS_A_BATCH.get(model)
    if batch is not None and batch[0](row):
        return True
    if depth == 0:
        return False
    for f in model._meta.concrete_fields:
        if not f.is_relation or f.related_model not in DOMAIN_TABLES.values():
            continue
        value = row.get(f.attname)
        if value is None:
            continue
        parent = RowWrite(f.related_model, str(value), "parent", frozenset())  # type: ignore[arg-type]
        if is_named(parent, names, before, after, depth - 1):
            return True
    return False


@dataclass
class CensusResult:
    writes: list[RowWrite] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)
    unnamed: list[RowWrite] = field(default_factory=list)


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@contextmanager
def census(label: str, *, expect_writes: bool = True) -> Iterator[CensusResult]:
    """Fails if the block wrote a domain row no new audit event names; with
    ``expect_writes`` also if it wrote nothing (a census of nothing proves nothing)."""
    result = CensusResult()
    before, since = snapshot(), _last_event_id()
    yield result
    after = snapshot()
    result.writes = writes_between(before, after)
    result.events = list(AuditEvent.objects.filter(id__gt=since))
    names = names_of(result.events)
    result.unnamed = [w for w in result.writes if not is_named(w, names, before, after)]
    if expect_writes:
        assert result.writes, f"{label}: wrote nothing, so the census proves nothing"
    assert not (result.writes and not result.events), (
        f"{label}: wrote {', '.join(map(str, result.writes[:10]))} and no audit event"
    )
    assert not result.unnamed, (
        f"{label}: no audit event names {', '.join(map(str, result.unnamed[:10]))} "
        f"(events: {[e.action for e in result.events]})"
    )


# --- Services ------------------------------------------------------------------------

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE | re.DOTALL
)
_SET_COLUMNS = re.compile(r'"(\w+)"\s*=')


_TRAIL = AuditEvent._meta.db_table


def _appends_to_the_trail(sql: str, params: Any) -> bool:
    """An INSERT into the trail; on PostgreSQL a large batch goes in by COPY, which the
    wrappers do not see, after taking its ids from the trail's sequence, which they do."""
    head = sql.lstrip()[:80]
    if head.upper().startswith("INSERT") and _TRAIL in head:
        return True
    return "pg_get_serial_sequence" in sql and bool(params) and params[0] == _TRAIL


# The outbox is the queue of side effects (emails) of audited actions, written in the
# action's transaction or, for a sweep's batch, by the task after it.
SIDE_EFFECT_TABLES = {OutboundEmail._meta.db_table}


def _written_table(sql: str) -> str | None:
    match = _WRITE.match(sql)
    if match is None or match.group(1) not in DOMAIN_TABLES:
        return None
    table = match.group(1)
    if (
        DOMAIN_TABLES[table] in EXEMPT_TABLES
        or table in EXEMPT_TABLE_NAMES
        or table in SIDE_EFFECT_TABLES
    ):
        return None
    if sql.lstrip()[:6].upper() == "UPDATE" and table in EXEMPT_COLUMNS:
        head = re.split(r"\bWHERE\b", sql, maxsplit=1, flags=re.IGNORECASE)[0]
        columns = set(_SET_COLUMNS.findall(head.split(" SET ", 1)[-1]))
        if columns and columns <= EXEMPT_COLUMNS[table][0]:
            return None
    return table


def public_services() -> dict[str, Callable[..., Any]]:
    """Every public function defined in a module of ``appeals.services``."""
    import appeals.services

    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.iter_modules(appeals.services.__path__):
        module = importlib.import_module(f"appeals.services.{info.name}")
        for name, value in vars(module).items():
            if (
                inspect.isfunction(value)
                and value.__module__ == module.__name__
                and not name.startswith("_")
            ):
                found[f"{info.name}.{name}"] = value
    return found


@dataclass
class ServiceTracker:
    """Wraps every public service; records which were called and which wrote silently.

    Every call is checked, also one made by another service (nested SQL watchers all
    see the statements), except the helpers that write for an audited caller."""

    for_an_audited_caller: frozenset[str] = frozenset()
    known_gaps: frozenset[str] = frozenset()
    called: set[str] = field(default_factory=set)
    silent: dict[str, list[str]] = field(default_factory=dict)
    # Known gaps seen writing with an event: fixed, so their entry must go.
    gaps_closed: set[str] = field(default_factory=set)
    _patches: list[tuple[Any, str, Any]] = field(default_factory=list)

    def _wrap(self, qualified: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        tracker = self

        @functools.wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            tracker.called.add(qualified)
            if qualified in tracker.for_an_audited_caller:
                return fn(*args, **kwargs)
            written: list[str] = []
            audited: list[bool] = []

            def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
                result = execute(sql, params, many, context)
                if _appends_to_the_trail(sql, params):
                    audited.append(True)
                table = _written_table(sql)
                # An UPDATE or DELETE that matched no row wrote nothing. (Not for INSERT:
                # with RETURNING, SQLite reports no rows until they are fetched.)
                inserted = sql.lstrip()[:6].upper() == "INSERT"
                cursor = context.get("cursor")
                if table and (inserted or getattr(cursor, "rowcount", 1) != 0):
                    written.append(table)
                return result

            # The SQL alone tells both (no query of its own, so the query-count tests
            # of the suite hold with the census on).
            with connection.execute_wrapper(watch):
                result = fn(*args, **kwargs)
            # Only a call that returned: one that raised has its writes rolled back.
            if written and audited and qualified in tracker.known_gaps:
                tracker.gaps_closed.add(qualified)
            if written and not audited and qualified not in tracker.known_gaps:
                tables = tracker.silent.setdefault(qualified, [])
                tables.extend(t for t in sorted(set(written)) if t not in tables)
            return result

        return wrapped

    def install(self) -> None:
        originals = public_services()
        wrapped = {id(fn): self._wrap(name, fn) for name, fn in originals.items()}
        for module_name, module in list(sys.modules.items()):
            if not (module_name == "appeals" or module_name.startswith(("appeals.", "tests."))):
                continue
            for attr, value in list(vars(module).items()):
                if inspect.isfunction(value) and id(value) in wrapped:
                    self._patches.append((module, attr, value))
                    setattr(module, attr, wrapped[id(value)])

    def uninstall(self) -> None:
        for module, attr, value in reversed(self._patches):
            setattr(module, attr, value)
        self._patches.clear()
