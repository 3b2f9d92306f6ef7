"""Pages for a signed-in person about their own cases."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    return render(request, "appellant/my_cases.html")
