"""The reference pages the benchmark measures beside the real ones: the framework's
ceiling (a small template, no database) and a list page's ceiling (one indexed query
rendered as a plain table). Templates: portal/benchmark/templates/benchmark/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from appeals.models import Appeal
from appeals.models.appeal import OPEN_STATUSES


@require_safe
def reference_tiny(request: HttpRequest) -> HttpResponse:
    """A small template, no database."""
    return render(request, "benchmark/tiny.html", {"title": "Reference"})


@require_safe
def reference_list(request: HttpRequest) -> HttpResponse:
    """One indexed query for 25 rows of the million (the queue's partial index),
    rendered as a plain table."""
    rows = (
        Appeal.objects.filter(status__in=OPEN_STATUSES)
        .order_by("due_at", "priority_rank", "id")
        .values("reference", "status", "category", "filed_at", "due_at")[:25]
    )
    return render(request, "benchmark/list.html", {"rows": rows})
