"""Forms for harm reports: short, calm, and never asking for the images themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from appeals.forms.fields import RowChoiceField, RowsChoiceField
from appeals.forms.filing import TEXT_LIMIT, MultipleFileField
from appeals.models import HarmCategory, Jurisdiction, Organisation, Platform, RequestedAction
from appeals.models.report import NO_UPLOAD_CATEGORIES, ConsentGivenBy
from appeals.services.evidence import MAX_FILES_PER_CASE

hex_sha256 = RegexValidator(
    r"^[0-9a-fA-F]{64}$", _("A SHA-256 hash is 64 characters, using only 0-9 and a-f.")
)
hex_any = RegexValidator(r"^[0-9a-fA-F]{8,256}$", _("A hash uses only the characters 0-9 and a-f."))
country_code = RegexValidator(r"^[A-Za-z]{2}$", _("Use the two-letter country code, e.g. DE."))


class LocationForm(forms.Form):
    url = forms.URLField(
        label=_("Web address"),
        max_length=2000,
        assume_scheme="https",
        required=False,
        error_messages={"invalid": _("Enter a web address, for example https://example.com/p/1")},
    )
    platform = RowChoiceField(
        label=_("Platform"),
        queryset=Platform.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Choose a platform"),
    )
    hosting_country = forms.CharField(
        label=_("Country where it is hosted (if known)"),
        max_length=2,
        required=False,
        validators=[country_code],
    )
    sha256 = forms.CharField(
        label=_("SHA-256 hash (if you have it)"),
        max_length=64,
        required=False,
        validators=[hex_sha256],
    )
    perceptual_hash = forms.CharField(
        label=_("Perceptual hash (if you have it)"),
        max_length=256,
        required=False,
        validators=[hex_any],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("url") and not cleaned.get("platform"):
            self.add_error("platform", _("Choose the platform this address belongs to."))
        if cleaned.get("platform") and not cleaned.get("url") and not self.has_error("url"):
            self.add_error("url", _("Enter the web address on this platform."))
        return cleaned


LocationFormSet = forms.formset_factory(LocationForm, extra=3, max_num=20, absolute_max=20)


class ReportForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("What is the content?"),
        help_text=_("Choose all that apply."),
        choices=HarmCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose what the content is.")},
    )
    explanation = forms.CharField(
        label=_("Why is it illegal or harmful?"),
        help_text=_("A few sentences are enough. Do not describe the images in detail."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Tell us briefly why the content is illegal or harmful.")},
    )
    jurisdictions = RowsChoiceField(
        label=_("Which countries’ laws apply?"),
        help_text=_("Where the victim lives, and where the content can be seen."),
        queryset=Jurisdiction.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one country.")},
    )
    requested_actions = forms.MultipleChoiceField(
        label=_("What should the platform do?"),
        choices=RequestedAction.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose what the platform should do.")},
    )
    urgent = forms.BooleanField(label=_("This is urgent"), required=False)
    threat_to_life = forms.BooleanField(
        label=_("Someone’s life or safety is in danger"),
        help_text=_("We tell the police or the authorities of the countries concerned at once."),
        required=False,
    )
    victim_reference = forms.CharField(
        label=_("A name for the victim, to use in this report"),
        help_text=_("Not their real name. For example “Client 14” or a first initial."),
        max_length=100,
        error_messages={"required": _("Give a name for the victim to use in this report.")},
    )
    victim_contact = forms.CharField(
        label=_("How to reach the victim (optional)"), max_length=200, required=False
    )
    consent_given_by = forms.ChoiceField(
        label=_("Who agreed to this report?"),
        choices=ConsentGivenBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say who agreed to this report.")},
    )
    consent_scope = forms.CharField(
        label=_("What did they agree to?"),
        help_text=_("For example: reporting these addresses to the platforms and the police."),
        max_length=2000,
        error_messages={"required": _("Say what the consent covers.")},
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    reporter_email = forms.EmailField(label=_("Your email address"), required=False)
    organisation = RowChoiceField(
        label=_("Report for your organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Not for an organisation"),
    )
    attachments = MultipleFileField(
        label=_("Other evidence (optional)"),
        help_text=_(
            "For example a screenshot of a post that publishes someone’s address. Never for "
            "intimate images or images of children."
        ),
        required=False,
    )
    good_faith = forms.BooleanField(
        label=_("I believe what I report is accurate and complete."),
        error_messages={"required": _("Confirm that you believe what you report is accurate.")},
    )

    def __init__(
        self, *args: Any, signed_in: bool, organisations: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if signed_in:
            del self.fields["reporter_name"]
            del self.fields["reporter_email"]
        else:
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        categories = set(cleaned.get("categories") or [])
        if categories & NO_UPLOAD_CATEGORIES and cleaned.get("attachments"):
            self.add_error(
                "attachments",
                _(
                    "For intimate images and child abuse material we never accept files, to "
                    "protect the people in them. Give the web address and, if you can, the hash "
                    "computed on your device. Nothing you attached has been kept."
                ),
            )
        attached = len(cleaned.get("attachments") or [])
        if attached > MAX_FILES_PER_CASE:
            self.add_error(
                "attachments",
                _(
                    "You can send up to %(count)d files with a report. You attached "
                    "%(sent)d: choose the most useful ones and attach them again."
                )
                % {"count": MAX_FILES_PER_CASE, "sent": attached},
            )
        child_abuse = HarmCategory.CHILD_SEXUAL_ABUSE in categories
        if not self.signed_in and not child_abuse:
            if not cleaned.get("reporter_name"):
                self.add_error("reporter_name", _("Give your name, so the platform can reply."))
            if not cleaned.get("reporter_email"):
                self.add_error(
                    "reporter_email", _("Give your email address, so we can tell you what happens.")
                )
        return cleaned


class TrackForm(forms.Form):
    reference = forms.CharField(
        label=_("Case number"),
        max_length=20,
        error_messages={"required": _("Enter the case number.")},
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=20,
        widget=forms.PasswordInput,
        error_messages={"required": _("Enter the PIN you were given.")},
    )


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("What the platform did"), choices=[])
    outcome = forms.CharField(
        label=_("Details"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices  # type: ignore[attr-defined]


class ContestReferralForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the platform’s refusal is wrong"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Say why the platform’s refusal is wrong.")},
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the person to invite"))
    role = forms.ChoiceField(
        label=_("Role"), choices=[("member", _("Member")), ("admin", _("Administrator"))]
    )
