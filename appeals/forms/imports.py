"""The upload of a statements-of-reasons file for import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ALLOWED_SUFFIXES = (".csv", ".csv.gz", ".json", ".json.gz", ".zip")
MAX_UPLOAD = 2 * 1024 * 1024 * 1024  # daily dumps are large; the web server's limit applies first


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Statements of reasons file"),
        help_text=gettext_lazy("A daily dump (.csv, .csv.gz or .zip) or a JSON API body (.json)."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(
                _("Choose a .csv, .csv.gz, .zip or .json file from the Transparency Database.")
            )
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("That file is too large to upload here; use the command.")
            )
        return upload
