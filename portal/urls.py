from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from appeals.views import appellant, public, staff

urlpatterns = [
    path("", public.home, name="home"),
    path("contest/", public.contest_start, name="contest_start"),
    path("report/", public.report_start, name="report_start"),
    path("my-cases/", appellant.my_cases, name="my_cases"),
    path("staff/", staff.staff_home, name="staff_home"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
