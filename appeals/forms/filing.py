"""Forms for the appellant's pages. They validate and return domain values;
they never save models (services do)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from appeals.forms.fields import RowChoiceField
from appeals.models import Jurisdiction, Mandate, Platform, Remedy
from appeals.vocabulary import DecisionGround, Measure

TEXT_LIMIT = 20_000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


# Dates people may give the portal. Outside these, a day more (an "until" day is
# taken up to the next midnight) or a time zone's offset leaves the calendar Python
# and the databases can hold (9999-12-31 + 1 day, 0001-01-01 at +14:00): a 500.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


class BoundedDateField(forms.DateField):
    """A date from FIRST_DAY to LAST_DAY, refused in the page otherwise."""

    widget = DateInput

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        if not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(
                _("Enter a date between %(first)s and %(last)s.")
                % {
                    "first": formats.date_format(FIRST_DAY, "j F Y"),
                    "last": formats.date_format(LAST_DAY, "j F Y"),
                },
                code="out_of_range",
            )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in items]
        return [c for c in cleaned if c]


class CountryChoiceField(RowChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class TakedownStepForm(forms.Form):
    platform = RowChoiceField(
        label=_("Which platform made the decision?"),
        queryset=Platform.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Choose a platform"),
        error_messages={"required": _("Choose the platform that made the decision.")},
    )
    platform_reference = forms.CharField(
        label=_("The platform’s reference for its decision (if you have it)"),
        help_text=_(
            "Look in the message the platform sent you. It may be called a case number, "
            "a reference or a statement ID. Leave this empty if you do not have one."
        ),
        max_length=200,
        required=False,
    )
    jurisdiction = CountryChoiceField(
        label=_("Which country do you live in?"),
        help_text=_("We use its rules, public holidays and time zone for your case."),
        queryset=Jurisdiction.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("Choose a country"),
        error_messages={"required": _("Choose the country you live in.")},
    )


class _WhenToldMixin(forms.Form):
    """The date the person was told, checked against the appeal window (DSA Art. 20(1))."""

    informed_on = forms.DateField(
        label=_("When did the platform tell you about its decision?"),
        help_text=_("For example 27 3 2026. If you are not sure, give your best guess."),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date the platform told you about its decision."),
            "invalid": _("Enter a real date, for example 27 3 2026."),
        },
    )
    late_reason = forms.CharField(
        label=_("Why are you appealing now? (only if it is more than six months later)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
    )

    def __init__(self, *args: Any, jurisdiction: Jurisdiction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.jurisdiction = jurisdiction

    def clean(self) -> dict[str, Any]:
        from appeals.deadlines import appeal_window_check

        cleaned = super().clean() or {}
        informed_on: date | None = cleaned.get("informed_on")
        if informed_on is None:
            return cleaned
        if informed_on > timezone.localdate():
            self.add_error("informed_on", _("The date cannot be in the future."))
            return cleaned
        decided_on = cleaned.get("decided_on")
        if decided_on and decided_on > informed_on:
            self.add_error(
                "decided_on",
                _("The decision date must be on or before the date the platform told you."),
            )
        window = appeal_window_check(jurisdiction=self.jurisdiction, informed_on=informed_on)
        problem = window.problem(late_reason=cleaned.get("late_reason") or "")
        if problem is not None:
            self.add_error(problem.field, problem.message)
        return cleaned


class KnownTakedownForm(_WhenToldMixin):
    """The platform's decision is on record; we only need when the person was told."""


class DescribeTakedownForm(_WhenToldMixin):
    measures = forms.MultipleChoiceField(
        label=_("What did the platform do?"),
        help_text=_("Choose all that apply."),
        choices=Measure.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing the platform did.")},
    )
    content_url = forms.URLField(
        label=_("Web address of the content (if there is one)"),
        help_text=_("For example https://example.com/post/123"),
        max_length=2000,
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": _("Enter a web address, for example https://example.com/post/123")
        },
    )
    decision_ground = forms.ChoiceField(
        label=_("What reason did the platform give?"),
        choices=[*DecisionGround.choices, ("", _("The platform did not say"))],
        widget=forms.RadioSelect,
        required=False,
    )
    rule_cited = forms.CharField(
        label=_("Which law or rule did the platform name? (if any)"),
        max_length=2000,
        required=False,
    )
    decided_on = forms.DateField(
        label=_("When did the platform make its decision? (if you know)"),
        widget=DateInput(),
        required=False,
        error_messages={"invalid": _("Enter a real date, for example 27 3 2026.")},
    )
    statement_text = forms.CharField(
        label=_("What did the platform’s message say? (if you have it)"),
        help_text=_("You can copy and paste it here."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_LIMIT,
        required=False,
    )

    field_order = [
        "measures",
        "content_url",
        "decision_ground",
        "rule_cited",
        "decided_on",
        "informed_on",
        "late_reason",
        "statement_text",
    ]


class GroundsForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why do you think the decision was wrong?"),
        help_text=_(
            "Use your own words. You do not need legal words. Tell us what the content was, "
            "why it was posted, and anything the platform may not have known."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Tell us why you think the decision was wrong.")},
    )
    remedies = forms.MultipleChoiceField(
        label=_("What do you want to happen?"),
        help_text=_("Choose all that apply."),
        choices=Remedy.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing you want to happen.")},
    )
    language = forms.ChoiceField(
        label=_("Which language should we write to you in?"),
        choices=settings.LANGUAGES,
    )
    mandate = RowChoiceField(
        label=_("Are you appealing for someone who mandated your organisation?"),
        queryset=Mandate.objects.none(),
        required=False,
        empty_label=_("No, for myself"),
    )

    def __init__(self, *args: Any, mandates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if mandates is None or not mandates.exists():
            del self.fields["mandate"]
        else:
            self.fields["mandate"].queryset = mandates  # type: ignore[attr-defined]


class EvidenceUploadForm(forms.Form):
    attachments = MultipleFileField(
        label=_("Add files"),
        help_text=_(
            "PDF documents, PNG or JPEG pictures, or plain text files, up to 10 MB each. "
            "Never send intimate images."
        ),
        required=False,
    )


class CheckAnswersForm(forms.Form):
    good_faith = forms.BooleanField(
        label=_("I confirm that what I have told you is true, as far as I know."),
        error_messages={
            "required": _("Confirm that what you told us is true, as far as you know.")
        },
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Write your message.")},
    )
    attachments = MultipleFileField(
        label=_("Add files (optional)"),
        help_text=_("PDF, PNG, JPEG or plain text, up to 10 MB each."),
        required=False,
    )
