"""Choice fields over database rows that refuse, as a form error, a key the database
cannot even compare.

Django's model choice fields look a posted key up with a query. A whole number beyond
64 bits (``jurisdictions=99999999999999999999``) makes SQLite raise ``OverflowError``
while binding the parameter, which Django does not catch: a 500 for anyone who edits a
form. These fields check the key against the column first and answer with the field's
own "not one of the choices" message, in the person's language.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from appeals.paging import BIGINT_MAX


def _key_field(field: forms.ModelChoiceField) -> models.Field:
    model = field.queryset.model  # type: ignore[union-attr]
    name = field.to_field_name
    return model._meta.pk if name is None else model._meta.get_field(name)


def _comparable(field: forms.ModelChoiceField, value: Any) -> bool:
    """Whether ``value`` can be compared with the key column without an error."""
    column = _key_field(field)
    if not isinstance(column, models.AutoField | models.IntegerField):
        return True
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return True  # Django's own lookup refuses it with its message
    return -BIGINT_MAX - 1 <= number <= BIGINT_MAX


class RowChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _comparable(self, value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class RowsChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        try:
            values = frozenset(value)
        except TypeError:
            # Django's own "enter a list of values" (django-stubs do not declare _check_values).
            return super()._check_values(value)  # type: ignore[misc]
        for item in values:
            if not _comparable(self, item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)  # type: ignore[misc]
