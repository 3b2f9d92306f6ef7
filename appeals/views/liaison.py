"""Platform liaisons: the orders their platforms must carry out, and their answers."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from appeals.accounts.gates import staff_required
from appeals.accounts.http import AuthenticatedHttpRequest
from appeals.errors import Refused
from appeals.forms.liaison import ConfirmForm, DisputeForm, OfferForm, PaidForm
from appeals.models import Retraction
from appeals.roles import Role
from appeals.selectors.retractions import (
    retraction_get_for_liaison,
    retractions_open_for_liaison,
)
from appeals.services.retractions import (
    compensation_offer,
    compensation_paid,
    retraction_confirm,
    retraction_dispute,
)

PAGE = 50


@require_safe
@staff_required(Role.PLATFORM_LIAISON)
def orders(request: AuthenticatedHttpRequest) -> HttpResponse:
    open_orders = list(retractions_open_for_liaison(request.user)[:PAGE])
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
def order(request: AuthenticatedHttpRequest, retraction_id: uuid.UUID) -> HttpResponse:
    return _detail(request, retraction_get_for_liaison(request.user, retraction_id))


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
def confirm(request: AuthenticatedHttpRequest, retraction_id: uuid.UUID) -> HttpResponse:
    retraction = retraction_get_for_liaison(request.user, retraction_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _detail(request, retraction, status=400, confirm_form=form)
    done_at = timezone.make_aware(datetime.combine(form.cleaned_data["done_on"], time(12)))
    return _done_or_error(
        request,
        retraction,
        lambda: retraction_confirm(
            retraction=retraction,
            liaison=request.user,
            proof=form.cleaned_data["proof"],
            done_at=min(done_at, timezone.now()),
        ),
        "confirm_form",
        form,
    )


@require_POST
@staff_required(Role.PLATFORM_LIAISON)
def dispute(request: AuthenticatedHttpRequest, retraction_id: uuid.UUID) -> HttpResponse:
    retraction = retraction_get_for_liaison(request.user, retraction_id)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return _detail(request, retraction, status=400, dispute_form=form)
    return _done_or_error(
        request,
        retraction,
        lambda: retraction_dispute(
            retraction=retraction, liaison=request.user, reason=form.cleaned_data["reason"]
        ),
        "dispute_form",
        form,
    )


@require_POST
@staff_required(Role.PLATFORM_LIAISON)
def offer(request: AuthenticatedHttpRequest, retraction_id: uuid.UUID) -> HttpResponse:
    retraction = retraction_get_for_liaison(request.user, retraction_id)
    form = OfferForm(request.POST)
    if not form.is_valid():
        return _detail(request, retraction, status=400, offer_form=form)
    return _done_or_error(
        request,
        retraction,
        lambda: compensation_offer(
            retraction=retraction,
            liaison=request.user,
            amount=form.cleaned_data["amount"],
            currency=form.cleaned_data["currency"],
        ),
        "offer_form",
        form,
    )


@require_POST
@staff_required(Role.PLATFORM_LIAISON)
def paid(request: AuthenticatedHttpRequest, retraction_id: uuid.UUID) -> HttpResponse:
    retraction = retraction_get_for_liaison(request.user, retraction_id)
    form = PaidForm(request.POST)
    if not form.is_valid():
        return _detail(request, retraction, status=400, paid_form=form)
    return _done_or_error(
        request,
        retraction,
        lambda: compensation_paid(
            retraction=retraction, liaison=request.user, reference=form.cleaned_data["reference"]
        ),
        "paid_form",
        form,
    )
