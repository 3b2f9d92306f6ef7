"""A key beyond 64 bits in a choice of database rows is a form error, never a 500.

SQLite raises OverflowError while binding such a number, which Django's model choice
fields do not catch (found by the hostile-input sweep on the report form)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from appeals.forms.fields import RowChoiceField, RowsChoiceField
from appeals.models import HarmReport, Jurisdiction
from tests.factories import germany

pytestmark = pytest.mark.django_db

HUGE = ["99999999999999999999", "-99999999999999999999", str(2**63), str(-(2**63) - 1)]


@pytest.mark.parametrize("value", HUGE)
def test_a_huge_number_among_the_reports_countries_is_a_form_error(value: str) -> None:
    before = HarmReport.objects.count()
    response = Client().post(
        reverse("report_new"),
        {"jurisdictions": [value], "explanation": "It shows my address.", "good_faith": "on"},
    )
    assert response.status_code == 400  # the form again, with its errors
    assert "jurisdictions" in response.context["form"].errors
    assert HarmReport.objects.count() == before


@pytest.mark.parametrize("value", HUGE)
def test_the_fields_refuse_a_huge_key_with_their_own_message(value: str) -> None:
    one = RowChoiceField(queryset=Jurisdiction.objects.all())
    many = RowsChoiceField(queryset=Jurisdiction.objects.all())
    for field in (one, many):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean([value] if field is many else value)
        assert refused.value.code == "invalid_choice"


def test_the_largest_key_a_column_holds_is_looked_up_normally() -> None:
    field = RowChoiceField(queryset=Jurisdiction.objects.all())
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(str(2**63 - 1))  # no such row, but a comparable key
    assert refused.value.code == "invalid_choice"
    de = germany()
    assert field.clean(str(de.pk)) == de


def test_every_form_of_the_portal_chooses_rows_through_the_bounded_fields() -> None:
    """Django's own model choice fields are used nowhere else in appeals/forms."""
    offenders = []
    for path in Path("appeals/forms").glob("*.py"):
        if path.name == "fields.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in {
                "ModelChoiceField",
                "ModelMultipleChoiceField",
            }:
                offenders.append(f"{path}:{node.lineno}")
    assert not offenders, offenders
