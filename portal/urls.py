from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from appeals.views import (
    appellant,
    filing,
    liaison,
    public,
    reviewer,
    staff,
    supervisor,
    verify,
)

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
    path("verify/", verify.verify, name="letter_verify"),
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
    path(
        "cases/<str:reference>/letters/<uuid:letter_id>/",
        appellant.letter_download,
        name="letter_download",
    ),
    path(
        "cases/<str:reference>/retractions/<uuid:retraction_id>/accept-compensation/",
        appellant.compensation_accept_view,
        name="compensation_accept",
    ),
    path("staff/", staff.staff_home, name="staff_home"),
    path(
        "review/cases/<str:reference>/retract-decision/",
        reviewer.retract_decision,
        name="review_retract_decision",
    ),
    path("liaison/", liaison.orders, name="liaison_orders"),
    path("liaison/orders/<uuid:retraction_id>/", liaison.order, name="liaison_order"),
    path("liaison/orders/<uuid:retraction_id>/confirm/", liaison.confirm, name="liaison_confirm"),
    path("liaison/orders/<uuid:retraction_id>/dispute/", liaison.dispute, name="liaison_dispute"),
    path("liaison/orders/<uuid:retraction_id>/offer/", liaison.offer, name="liaison_offer"),
    path("liaison/orders/<uuid:retraction_id>/paid/", liaison.paid, name="liaison_paid"),
    path("supervise/deadlines/", supervisor.deadlines, name="supervisor_deadlines"),
    path(
        "supervise/escalations/<int:escalation_id>/handle/",
        supervisor.handle_escalation,
        name="supervisor_handle_escalation",
    ),
    path("review/", reviewer.queue, name="review_queue"),
    path("review/cases/<str:reference>/", reviewer.case, name="review_case"),
    path("review/cases/<str:reference>/claim/", reviewer.claim, name="review_claim"),
    path("review/cases/<str:reference>/release/", reviewer.release, name="review_release"),
    path(
        "review/cases/<str:reference>/request-information/",
        reviewer.request_information,
        name="review_request_information",
    ),
    path("review/cases/<str:reference>/decide/", reviewer.decide, name="review_decide"),
    path(
        "review/cases/<str:reference>/proposals/<int:proposal_id>/approve/",
        reviewer.approve,
        name="review_approve",
    ),
    path(
        "review/cases/<str:reference>/proposals/<int:proposal_id>/return/",
        reviewer.return_decision,
        name="review_return",
    ),
    path("review/cases/<str:reference>/assign/", reviewer.assign, name="review_assign"),
    path("review/cases/<str:reference>/flag/", reviewer.flag, name="review_flag"),
    path(
        "review/cases/<str:reference>/evidence/<uuid:evidence_id>/",
        reviewer.evidence_open,
        name="review_evidence",
    ),
    path(
        "review/cases/<str:reference>/letters/<uuid:letter_id>/",
        reviewer.letter_download,
        name="review_letter",
    ),
    path("supervise/", supervisor.overview, name="supervisor_overview"),
    path("supervise/auto-assign/", supervisor.auto_assign, name="supervisor_auto_assign"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
