"""Platform liaisons: the orders their platforms must carry out, and their answers."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST, require_safe

from appeals.errors import Refused
from appeals.forms import BoundedDateField
from appeals.models import Retraction, User
from appeals.models.retraction import OPEN_RETRACTION_STATUSES
from appeals.permissions import liaison_order_scope, staff_required
from appeals.roles import Role
from appeals.services.retractions import (
    compensation_offer,
    compensation_paid,
    liaison_platform_ids,
    retraction_confirm,
    retraction_dispute,
)

PAGE = 50


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


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _retraction(request: HttpRequest, retraction_id: uuid.UUID) -> Retraction:
    retraction = (
        Retraction.objects.select_related("appeal__takedown", "platform", "decision")
        .filter(pk=retraction_id, platform_id__in=liaison_platform_ids(_me(request)))
        .filter(liaison_order_scope(_me(request)))
        .first()
    )
    if retraction is None:
        raise Http404
    return retraction


@require_safe
@staff_required(Role.PLATFORM_LIAISON)
def orders(request: HttpRequest) -> HttpResponse:
    platforms = liaison_platform_ids(_me(request))
    open_orders = list(
        Retraction.objects.filter(platform_id__in=platforms, status__in=OPEN_RETRACTION_STATUSES)
        .filter(liaison_order_scope(_me(request)))
        .select_related("appeal", "platform")
        .order_by("due_at")[:PAGE]
    )
    return render(request, "liaison/orders.html", {"orders": open_orders, "now": timezone.now()})


def _detail(
    request: HttpRequest, retraction: Retraction, status: int = 200, **forms_: Any
) -> HttpResponse:
    compensation = getattr(retraction, "compensation", None)
    return render(
        request,
        "liaison/order.html",
        {
            "order": retraction,
            "compensation": compensation,
            "confirm_form": forms_.get("confirm_form") or ConfirmForm(),
            "dispute_form": forms_.get("dispute_form") or DisputeForm(),
            "offer_form": forms_.get("offer_form") or OfferForm(),
            "paid_form": forms_.get("paid_form") or PaidForm(),
        },
        status=status,
    )


@require_safe
@staff_required(Role.PLATFORM_LIAISON)
def order(request: HttpRequest, retraction_id: uuid.UUID) -> HttpResponse:
    return _detail(request, _retraction(request, retraction_id))


def _done_or_error(
    request: HttpRequest, retraction: Retraction, action: Any, form_name: str, form: forms.Form
) -> HttpResponse:
    try:
        action()
    except Refused as exc:
        form.add_error(None, exc.message)
        return _detail(request, retraction, status=400, **{form_name: form})
    messages.success(request, _("Recorded. The appellant and our staff can see it."))
    return redirect("liaison_order", retraction_id=retraction.pk)


@require_POST
@staff_required(Role.PLATFORM_LIAISON)
def confirm(request: HttpRequest, retraction_id: uuid.UUID) -> HttpResponse:
    retraction = _retraction(request, retraction_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _detail(request, retraction, status=400, confirm_form=form)
    done_at = timezone.make_aware(datetime.combine(form.cleaned_data["done_on"], time(12)))
    return _done_or_error(
        request,
        retraction,
        lambda: retraction_confirm(
            retraction=retraction,
            liaison=_me(request),
            proof=form.cleaned_data["proof"],
            done_at=min(done_at, timezone.now()),
        ),
        "confirm_form",
        form,
    )


@require_POST
@staff_required(Role.PLATFORM_LIAISON)
def dispute(request: HttpRequest, retraction_id: uuid.UUID) -> HttpResponse:
    retraction = _retraction(request, retraction_id)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return _detail(request, retraction, status=400, dispute_form=form)
    return _done_or_error(
        request,
        retraction,
        lambda: retraction_dispute(
            retraction=retraction, liaison=_me(request), reason=form.cleaned_data["reason"]
        ),
        "dispute_form",
        form,
    )


@require_POST
@staff_required(Role.PLATFORM_LIAISON)
def offer(request: HttpRequest, retraction_id: uuid.UUID) -> HttpResponse:
    retraction = _retraction(request, retraction_id)
    form = OfferForm(request.POST)
    if not form.is_valid():
        return _detail(request, retraction, status=400, offer_form=form)
    return _done_or_error(
        request,
        retraction,
        lambda: compensation_offer(
            retraction=retraction,
            liaison=_me(request),
            amount=form.cleaned_data["amount"],
            currency=form.cleaned_data["currency"],
        ),
        "offer_form",
        form,
    )


@require_POST
@staff_required(Role.PLATFORM_LIAISON)
def paid(request: HttpRequest, retraction_id: uuid.UUID) -> HttpResponse:
    retraction = _retraction(request, retraction_id)
    form = PaidForm(request.POST)
    if not form.is_valid():
        return _detail(request, retraction, status=400, paid_form=form)
    return _done_or_error(
        request,
        retraction,
        lambda: compensation_paid(
            retraction=retraction, liaison=_me(request), reference=form.cleaned_data["reference"]
        ),
        "paid_form",
        form,
    )
