"""Operators' edits of reference data and staffing, whichever door they come in by
(today the admin): jurisdictions, deadline policies, out-of-court bodies, platforms,
organisations and their trusted-flagger designations, mandates, four-eyes rules,
reviewer and liaison profiles, declared conflicts of interest.

Every save and delete is one transaction with one audit event that names the row
(``details["model"]`` and ``details["id"]``), the object the trail can key it to
(the jurisdiction, platform, organisation or person it belongs to), and what
changed, old and new value per field. Secrets are named as changed, never recorded.
Memberships go through ``appeals.services.organisations``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import models, transaction

from appeals.models import (
    AuditAction,
    ConflictDeclaration,
    DeadlinePolicy,
    FourEyesRule,
    Jurisdiction,
    LiaisonProfile,
    Mandate,
    Organisation,
    OutOfCourtBody,
    Platform,
    ReviewerProfile,
    TrustedFlaggerDesignation,
    User,
)
from appeals.services.audit import audit_record

# Values the trail must never hold, even hashed: the event says they changed.
SECRET_FIELDS = frozenset({"password", "token_hash", "pin_hash", "link_token_hash"})


def _keyed_to(obj: models.Model) -> models.Model | None:
    """The object the audit trail has a typed key for that this row belongs to."""
    if isinstance(obj, Jurisdiction | Platform | Organisation):
        return obj
    if isinstance(obj, DeadlinePolicy):
        return obj.jurisdiction
    if isinstance(obj, TrustedFlaggerDesignation | Mandate):
        return obj.organisation
    if isinstance(obj, ReviewerProfile | LiaisonProfile):
        return obj.user
    if isinstance(obj, ConflictDeclaration):
        return obj.reviewer
    return None


REFERENCE_MODELS: tuple[type[models.Model], ...] = (
    Jurisdiction,
    DeadlinePolicy,
    OutOfCourtBody,
    Platform,
    Organisation,
    TrustedFlaggerDesignation,
    Mandate,
    FourEyesRule,
    ReviewerProfile,
    LiaisonProfile,
    ConflictDeclaration,
)


def model_label(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def _json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return _json_value(value.pk)
    if isinstance(value, int | float | bool | str) or value is None:
        return value
    if isinstance(value, list | tuple | dict):
        return value
    return str(value)


def _concrete_fields(obj: models.Model) -> dict[str, models.Field[Any, Any]]:
    return {f.name: f for f in obj._meta.concrete_fields}


def _field_values(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """Current values of the named concrete fields (foreign keys by id)."""
    values: dict[str, Any] = {}
    fields = _concrete_fields(obj)
    for name in names:
        field = fields.get(name)
        if field is None:  # a form-only field, or a relation not stored on the row
            continue
        values[name] = _json_value(getattr(obj, field.attname))
    return values


def _m2m_values(obj: models.Model, names: Iterable[str]) -> dict[str, list[Any]]:
    return {
        name: sorted(_json_value(pk) for pk in getattr(obj, name).values_list("pk", flat=True))
        for name in names
    }


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """``{field: [old, new]}`` for each field whose value differs; secrets as "changed"."""
    changes: dict[str, Any] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        changes[name] = "changed" if name in SECRET_FIELDS else [old, new]
    return changes


def _details(obj: models.Model, **extra: Any) -> dict[str, Any]:
    return {"model": model_label(obj), "id": _json_value(obj.pk), "object": str(obj)[:300], **extra}


def _check_reference(obj: models.Model) -> None:
    if not isinstance(obj, REFERENCE_MODELS):
        raise TypeError(f"{type(obj).__name__} is not reference data; use its own service")


@transaction.atomic
def reference_save(
    *,
    obj: models.Model,
    changed: Sequence[str],
    by: User,
    m2m: Mapping[str, Iterable[models.Model]] | None = None,
) -> models.Model:
    """Save an operator's new or edited row and record what changed.

    ``changed`` names the fields the operator's form changed (its ``changed_data``);
    ``m2m`` gives the new members of many-to-many fields (a reviewer's jurisdictions),
    which are set here so the event records them, old and new.
    """
    _check_reference(obj)
    m2m = dict(m2m or {})
    created = obj._state.adding or obj.pk is None
    names = [name for name in changed if name not in m2m]
    if created:
        # A new row: every value it starts with is part of the record.
        names = [f.name for f in obj._meta.concrete_fields if not f.primary_key]
    before: dict[str, Any] = {}
    if not created:
        stored = type(obj)._base_manager.filter(pk=obj.pk).first()
        if stored is not None:
            before = _field_values(stored, names)
    before_m2m = {name: [] for name in m2m} if created else _m2m_values(obj, m2m)
    if isinstance(obj, Mandate) and created:
        # Who recorded a mandate is the operator who did, not a choice in a form.
        obj.recorded_by = by
    members = {name: list(given) for name, given in m2m.items()}
    after_m2m = {name: sorted(_json_value(m.pk) for m in given) for name, given in members.items()}
    changes = _changes(before, _field_values(obj, names))
    changes.update(_changes(before_m2m, after_m2m))
    if not created and not changes:
        return obj  # saved as it was: nothing to write, nothing to record
    obj.save()
    for name, given in members.items():
        getattr(obj, name).set(given)
    audit_record(
        action=AuditAction.REFERENCE_CREATED if created else AuditAction.REFERENCE_CHANGED,
        actor=by,
        target=_keyed_to(obj),
        details=_details(obj, changes=changes),
    )
    return obj


@transaction.atomic
def reference_delete(*, objects: Iterable[models.Model], by: User) -> int:
    """Delete rows an operator chose (one, or a bulk action's selection); one event
    each, naming the row and its last values. Returns how many were deleted."""
    count = 0
    for obj in objects:
        _check_reference(obj)
        names = [f.name for f in obj._meta.concrete_fields if not f.primary_key]
        last = {
            name: "…" if name in SECRET_FIELDS else value
            for name, value in _field_values(obj, names).items()
        }
        details = _details(obj, values=last)
        owner = _keyed_to(obj)
        # A row the trail is keyed to cannot be named by key once it is gone.
        target = None if owner is obj else owner
        obj.delete()
        audit_record(action=AuditAction.REFERENCE_DELETED, actor=by, target=target, details=details)
        count += 1
    return count
