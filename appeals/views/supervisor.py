"""The supervisors' overview: workload per reviewer and unassigned cases near their deadline."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from appeals.forms_review import HandleEscalationForm
from appeals.models import Appeal, Escalation, Retraction, RetractionStatus, User
from appeals.models.appeal import RUNNING_STATUSES
from appeals.permissions import staff_escalation_scope, staff_required
from appeals.roles import Role
from appeals.selectors_review import QueueFilters, review_queue, workload_per_reviewer
from appeals.services.assignment import appeal_auto_assign
from appeals.services.deadlines import escalation_handle


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


@require_safe
@staff_required(Role.SUPERVISOR)
def deadlines(request: HttpRequest) -> HttpResponse:
    """Due today, overdue by case type and jurisdiction, retractions overdue per platform,
    and the escalations waiting for a supervisor. Aggregates in the database over
    due-time ranges the partial indexes serve."""
    now = timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)
    running = Appeal.objects.filter(status__in=RUNNING_STATUSES)
    overdue = list(
        running.filter(due_at__lt=now)
        .values("jurisdiction__code", "jurisdiction__name")
        .annotate(n=Count("id"))
        .order_by("-n")[:50]
    )
    late_retractions = list(
        Retraction.objects.filter(
            Q(status=RetractionStatus.ESCALATED)
            | Q(status=RetractionStatus.ORDERED, due_at__lt=now)
        )
        .values("platform__name")
        .annotate(n=Count("id"))
        .order_by("-n")[:50]
    )
    escalations = list(
        Escalation.objects.filter(handled_at__isnull=True)
        .filter(staff_escalation_scope(cast(User, request.user)))
        .select_related("appeal", "retraction__platform")
        .order_by("created_at")[:50]
    )
    return render(
        request,
        "supervisor/deadlines.html",
        {
            "due_today": running.filter(due_at__gte=start, due_at__lt=end).count(),
            "overdue": overdue,
            "late_retractions": late_retractions,
            "escalations": escalations,
            "handle_form": HandleEscalationForm(),
        },
    )


@require_POST
@staff_required(Role.SUPERVISOR)
def handle_escalation(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = Escalation.objects.filter(pk=escalation_id).first()
    if escalation is None:
        raise Http404
    form = HandleEscalationForm(request.POST)
    if form.is_valid():
        escalation_handle(
            escalation=escalation,
            supervisor=cast(User, request.user),
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The escalation is marked as handled."))
    else:
        messages.error(request, _("Say what you did about it."))
    return redirect("supervisor_deadlines")
