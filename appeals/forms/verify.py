"""Letter verification: by its code, or by its PDF."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD = 20 * 1024 * 1024


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        help_text=_("It is printed on the letter, for example V7KQ-2M9X-D4PA."),
        max_length=40,
        error_messages={"required": _("Enter the verification code from the letter.")},
    )


class VerifyFileForm(forms.Form):
    letter = forms.FileField(
        label=_("Or upload the letter (PDF)"),
        error_messages={"required": _("Choose the PDF file of the letter.")},
    )

    def clean_letter(self) -> object:
        upload = self.cleaned_data["letter"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("That file is larger than 20 MB, so it is not one of our letters.")
            )
        return upload
