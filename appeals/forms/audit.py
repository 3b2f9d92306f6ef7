"""The auditors' filters: the audit trail's, and a report's period."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appeals.forms.filing import BoundedDateField
from appeals.models import AuditAction


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[("", gettext_lazy("All")), *AuditAction.choices],
        required=False,
    )
    reference = forms.CharField(
        label=gettext_lazy("Case or report number"), max_length=20, required=False
    )
    actor = forms.EmailField(label=gettext_lazy("Done by (email)"), required=False)
    since = BoundedDateField(label=gettext_lazy("From"), required=False)
    until = BoundedDateField(label=gettext_lazy("Until"), required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if isinstance(since, date) and isinstance(until, date) and until < since:
            self.add_error("until", _("The last day must be on or after the first day."))
        return cleaned


class PeriodForm(forms.Form):
    start = BoundedDateField(label=gettext_lazy("First day"))
    end = BoundedDateField(label=gettext_lazy("Last day"))

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end", _("The last day must be on or after the first day."))
        return cleaned
