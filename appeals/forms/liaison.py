"""What a platform's liaison answers to a retraction order."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from appeals.forms.filing import BoundedDateField


class ConfirmForm(forms.Form):
    proof = forms.CharField(
        label=gettext_lazy("What shows it is done"),
        help_text=gettext_lazy("For example the address where the content is live again."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": gettext_lazy("Say what shows it is done.")},
    )
    done_on = BoundedDateField(
        label=gettext_lazy("Date it was done"),
        error_messages={
            "required": gettext_lazy("Enter the date it was done."),
            "invalid": gettext_lazy("Enter a real date, for example 27 3 2026."),
        },
    )


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the platform disputes this order"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": gettext_lazy("Say why the platform disputes this order.")},
    )


class OfferForm(forms.Form):
    amount = forms.DecimalField(
        label=pgettext_lazy("money", "Amount"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        error_messages={"required": gettext_lazy("Enter the amount.")},
    )
    currency = forms.RegexField(
        label=gettext_lazy("Currency"),
        regex=r"^[A-Za-z]{3}$",
        initial="EUR",
        error_messages={
            "invalid": gettext_lazy("Enter the currency as three letters, for example EUR.")
        },
    )


class PaidForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Payment reference"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the payment reference.")},
    )
