"""The public statistics' filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from appeals.forms.widgets import FastSelect
from appeals.models import Jurisdiction, Platform
from appeals.vocabulary import Category


class StatisticsForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        help_text=_("A year (2026), a quarter (2026-Q4) or a month (2026-11)."),
        max_length=7,
        required=False,
    )
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), required=False, widget=FastSelect)
    platform = forms.ChoiceField(label=_("Platform"), required=False, widget=FastSelect)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All")), *Category.choices],
        required=False,
        widget=FastSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *Jurisdiction.objects.order_by("name").values_list("code", "name"),
        ]
        self.fields["platform"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *Platform.objects.order_by("name").values_list("slug", "name"),
        ]
