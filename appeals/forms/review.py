"""Forms for reviewers and supervisors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from appeals.forms.fields import RowChoiceField
from appeals.forms.filing import TEXT_LIMIT
from appeals.forms.widgets import FastSelect
from appeals.models import (
    AppealStatus,
    BasisKind,
    Gravity,
    Jurisdiction,
    Outcome,
    Platform,
    Priority,
)
from appeals.models.appeal import OPEN_STATUSES, OrderedRemedy
from appeals.vocabulary import Category


class QueueFilterForm(forms.Form):
    jurisdiction = RowChoiceField(
        label=_("Jurisdiction"),
        queryset=Jurisdiction.objects.order_by("name"),
        required=False,
        widget=FastSelect,
        empty_label=_("All"),
    )
    platform = RowChoiceField(
        label=_("Platform"),
        queryset=Platform.objects.order_by("name"),
        required=False,
        widget=FastSelect,
        empty_label=_("All"),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All")), *Category.choices],
        required=False,
        widget=FastSelect,
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("All")), *Priority.choices],
        required=False,
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All open")), *[(s.value, s.label) for s in OPEN_STATUSES]],
        required=False,
        widget=FastSelect,
    )
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        choices=[("", _("Anyone")), ("me", _("Assigned to me")), ("unassigned", _("Unassigned"))],
        required=False,
        widget=FastSelect,
    )


class RequestInformationForm(forms.Form):
    question = forms.CharField(
        label=_("Your question to the appellant"),
        help_text=_("The appellant sees this. The decision clock stops until they answer."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Write the question for the appellant.")},
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome.")},
    )
    reasons = forms.CharField(
        label=_("Reasons (the appellant sees these)"),
        help_text=_("The facts you relied on and why they lead to this outcome, in plain words."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Give the reasons for the decision.")},
    )
    basis_kind = forms.ChoiceField(
        label=_("The decision rests on"),
        choices=BasisKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the decision rests on a law or on terms.")},
    )
    basis = forms.CharField(
        label=_("The provision or clause, and how it applies"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Name the law or the terms the decision rests on.")},
    )
    remedies_ordered = forms.MultipleChoiceField(
        label=_("What the platform must do (only if reversed)"),
        choices=OrderedRemedy.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    automated_means_used = forms.BooleanField(
        label=_("Automated tools were used at some stage of this review"), required=False
    )
    internal_note = forms.CharField(
        label=_("Internal note (never shown to the appellant)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
    )


class ReturnDecisionForm(forms.Form):
    comments = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LIMIT,
        error_messages={
            "required": _("Say what should change before the decision can be approved.")
        },
    )


class ReviewerChoiceField(RowChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name())


class AssignForm(forms.Form):
    reviewer = ReviewerChoiceField(
        label=_("Reviewer"),
        queryset=None,  # set per case: only qualified reviewers
        empty_label=_("Choose a reviewer"),
        error_messages={"required": _("Choose a reviewer.")},
    )

    def __init__(self, *args: Any, reviewers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers  # type: ignore[attr-defined]


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this case needs a second reviewer"),
        max_length=2000,
        error_messages={"required": _("Say why this case needs a second reviewer.")},
    )


class CorrectDecisionForm(forms.Form):
    reasons = forms.CharField(
        label=_("Why the decision was wrong"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Give the reasons for withdrawing the decision.")},
    )


class HandleEscalationForm(forms.Form):
    note = forms.CharField(
        label=_("What you did"),
        max_length=2000,
        error_messages={"required": _("Say what you did about it.")},
    )


STATUS_LABELS = dict(AppealStatus.choices)


class MisuseForm(forms.Form):
    gravity = forms.ChoiceField(label=_("Gravity"), choices=Gravity.choices)
    intent = forms.CharField(label=_("Intent, where known"), max_length=2000, required=False)
