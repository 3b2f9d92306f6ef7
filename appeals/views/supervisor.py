"""The supervisors' overview: workload per reviewer and unassigned cases near their deadline."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from appeals.accounts.gates import staff_required
from appeals.accounts.http import AuthenticatedHttpRequest
from appeals.errors import Refused
from appeals.forms.review import HandleEscalationForm
from appeals.roles import Role
from appeals.selectors.escalations import (
    EscalationCursor,
    deadline_figures,
    escalation_get,
    escalations_handled,
    escalations_open,
)
from appeals.selectors.queue import QueueFilters, review_queue, workload_per_reviewer
from appeals.services.assignment import appeal_auto_assign
from appeals.services.deadlines import escalation_handle


@require_safe
@staff_required(Role.SUPERVISOR)
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    me = request.user
    return render(
        request,
        "supervisor/overview.html",
        {
            "workload": workload_per_reviewer(),
            "unassigned": review_queue(me, QueueFilters(assigned="unassigned")),
        },
    )


@require_POST
@staff_required(Role.SUPERVISOR)
def auto_assign(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Assign the unassigned cases due first (one queue page) to qualified reviewers."""
    me = request.user
    page = review_queue(me, QueueFilters(assigned="unassigned", status="submitted"))
    assigned = sum(appeal_auto_assign(appeal=row.appeal) is not None for row in page.rows)
    left = len(page.rows) - assigned
    messages.success(
        request,
        _("%(assigned)d case(s) assigned; %(left)d found no qualified reviewer with room.")
        % {"assigned": assigned, "left": left},
    )
    return redirect("supervisor_overview")


def _page_query(request: HttpRequest) -> str:
    """The list and page the supervisor is on, kept across "Mark as handled"."""
    query = QueryDict(mutable=True)
    if request.GET.get("handled") == "1":
        query["handled"] = "1"
    if request.GET.get("after"):
        query["after"] = request.GET["after"]
    return query.urlencode()


def _deadlines_page(
    request: AuthenticatedHttpRequest,
    *,
    failed: tuple[int, HandleEscalationForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    me = request.user
    handled = request.GET.get("handled") == "1"
    after = EscalationCursor.decode(request.GET.get("after", ""))
    page = escalations_handled(me, after=after) if handled else escalations_open(me, after=after)
    rows = [
        (
            escalation,
            failed[1]
            if failed and failed[0] == escalation.pk
            else HandleEscalationForm(auto_id=f"escalation-{escalation.pk}-%s"),
        )
        for escalation in page.rows
    ]
    return render(
        request,
        "supervisor/deadlines.html",
        {
            "figures": deadline_figures(),
            "rows": rows,
            "failed_form": failed[1] if failed else None,
            "next_cursor": page.next_cursor,
            "first_page": after is None,
            "handled": handled,
            "page_query": _page_query(request),
        },
        status=status,
    )


@require_safe
@staff_required(Role.SUPERVISOR)
def deadlines(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What is due today and overdue, and every escalation waiting for a supervisor,
    each linked to the staff page of its own case, report or person."""
    return _deadlines_page(request)


@require_POST
@staff_required(Role.SUPERVISOR)
def handle_escalation(request: AuthenticatedHttpRequest, escalation_id: int) -> HttpResponse:
    escalation = escalation_get(request.user, escalation_id)
    form = HandleEscalationForm(request.POST, auto_id=f"escalation-{escalation.pk}-%s")
    if not form.is_valid():
        return _deadlines_page(request, failed=(escalation.pk, form), status=400)
    try:
        escalation_handle(
            escalation=escalation,
            supervisor=request.user,
            note=form.cleaned_data["note"],
        )
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The escalation is marked as handled."))
    query = _page_query(request)
    return redirect(reverse("supervisor_deadlines") + (f"?{query}" if query else ""))
