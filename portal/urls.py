from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from appeals.views import appellant, filing, public, staff

urlpatterns = [
    path("", public.home, name="home"),
    path("contest/", public.contest_start, name="contest_start"),
    path("contest/new/", filing.filing_start, name="filing_start"),
    path("contest/<uuid:draft_id>/takedown/", filing.filing_takedown, name="filing_takedown"),
    path("contest/<uuid:draft_id>/details/", filing.filing_details, name="filing_details"),
    path("contest/<uuid:draft_id>/grounds/", filing.filing_grounds, name="filing_grounds"),
    path("contest/<uuid:draft_id>/evidence/", filing.filing_evidence, name="filing_evidence"),
    path(
        "contest/<uuid:draft_id>/evidence/<uuid:evidence_id>/remove/",
        filing.filing_evidence_remove,
        name="filing_evidence_remove",
    ),
    path("contest/<uuid:draft_id>/check/", filing.filing_check, name="filing_check"),
    path("report/", public.report_start, name="report_start"),
    path("cases/", appellant.my_cases, name="my_cases"),
    path("cases/<str:reference>/", appellant.appeal_detail, name="appeal_detail"),
    path("cases/<str:reference>/received/", appellant.appeal_received, name="appeal_received"),
    path("cases/<str:reference>/messages/", appellant.appeal_message, name="appeal_message"),
    path("cases/<str:reference>/withdraw/", appellant.appeal_withdraw_view, name="appeal_withdraw"),
    path(
        "cases/<str:reference>/evidence/<uuid:evidence_id>/",
        appellant.evidence_download,
        name="evidence_download",
    ),
    path("staff/", staff.staff_home, name="staff_home"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
