"""Pages anyone may see, signed in or not."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html")


@require_safe
def contest_start(request: HttpRequest) -> HttpResponse:
    return render(request, "public/contest_start.html")


@require_safe
def report_start(request: HttpRequest) -> HttpResponse:
    return render(request, "public/report_start.html")
