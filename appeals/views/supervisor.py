"""The supervisors' overview: workload per reviewer and unassigned cases near their deadline."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from appeals.models import User
from appeals.permissions import staff_required
from appeals.roles import Role
from appeals.selectors_review import QueueFilters, review_queue, workload_per_reviewer
from appeals.services.assignment import appeal_auto_assign


@require_safe
@staff_required(Role.SUPERVISOR)
def overview(request: HttpRequest) -> HttpResponse:
    me = cast(User, request.user)
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
def auto_assign(request: HttpRequest) -> HttpResponse:
    """Assign the unassigned cases due first (one queue page) to qualified reviewers."""
    me = cast(User, request.user)
    page = review_queue(me, QueueFilters(assigned="unassigned", status="submitted"))
    assigned = sum(appeal_auto_assign(appeal=row.appeal) is not None for row in page.rows)
    left = len(page.rows) - assigned
    messages.success(
        request,
        _("%(assigned)d case(s) assigned; %(left)d found no qualified reviewer with room.")
        % {"assigned": assigned, "left": left},
    )
    return redirect("supervisor_overview")
