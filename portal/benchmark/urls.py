"""The portal's URLs plus the benchmark's two reference pages. Only ``make bench``
uses this URL configuration; the site itself never serves these pages."""

from __future__ import annotations

from django.urls import path

from portal.benchmark import views
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/reference/tiny/", views.reference_tiny, name="bench_reference_tiny"),
    path("bench/reference/list/", views.reference_list, name="bench_reference_list"),
    *portal_urlpatterns,
]
