"""The portal's pages, grouped by who they are for.

Each group's access rule is in its views' decorators; tests/test_census.py holds the
rule of every URL name and fails for a page without one. portal/urls.py adds the
admin, the sign-in pages (allauth) and the language switch.
"""

from __future__ import annotations

from django.urls import path

from appeals.views import (
    advocate,
    api,
    appellant,
    auditor,
    filing,
    imports,
    liaison,
    public,
    report_review,
    reports,
    reviewer,
    staff,
    statistics,
    supervisor,
    verify,
)

# Public: anyone, signed in or not (the start pages, letter verification, statistics).
public_patterns = [
    path("", public.home, name="home"),
    path("contest/", public.contest_start, name="contest_start"),
    path("report/", public.report_start, name="report_start"),
    path("verify/", verify.verify, name="letter_verify"),
    path("verify/signing-certificate.pem", verify.signing_certificate, name="signing_certificate"),
    path("verify/audit-checkpoint.json", verify.audit_checkpoint, name="audit_checkpoint"),
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("statistics/figures.json", statistics.statistics_json, name="statistics_json"),
    path("statistics/figures.csv", statistics.statistics_csv, name="statistics_csv"),
    path(
        "statistics/reports/<int:report_id>.<str:fmt>",
        statistics.transparency_report_download,
        name="transparency_report_download",
    ),
]

# Filing: a signed-in person contesting a takedown, one step a page, on their own draft.
filing_patterns = [
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
]

# Appellant: a person's own appeals, and everything the portal holds about them.
appellant_patterns = [
    path("account/my-data.json", appellant.my_data, name="my_data"),
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
]

# Reports: anyone reporting harm, and following the report by its PIN or private link.
reports_patterns = [
    path("report/new/", reports.report_new, name="report_new"),
    path("report/received/", reports.report_received, name="report_received"),
    path("track/", reports.track, name="report_track"),
    path("track/link/<str:token>/", reports.track_link, name="report_track_link"),
    path("track/<str:reference>/", reports.report_status, name="report_status"),
    path("track/<str:reference>/revoke-link/", reports.revoke_link, name="report_revoke_link"),
]

# Advocate: members of an organisation (trusted flaggers, victims' advocates).
advocate_patterns = [
    path("advocate/", advocate.dashboard, name="advocate_dashboard"),
    path("advocate/reports/<str:reference>/", advocate.report_detail, name="advocate_report"),
    path(
        "advocate/reports/<str:reference>/referrals/<uuid:referral_id>/contest/",
        advocate.contest,
        name="advocate_contest",
    ),
    path(
        "advocate/organisations/<uuid:organisation_id>/referrals.csv",
        advocate.export_csv,
        name="advocate_export",
    ),
    path(
        "advocate/organisations/<uuid:organisation_id>/members/",
        advocate.members,
        name="advocate_members",
    ),
]

# Review: reviewers (and supervisors) working appeals and harm reports.
review_patterns = [
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
    path("review/referrals/", report_review.referrals, name="staff_referrals"),
    path("review/reports/<str:reference>/", report_review.report, name="staff_report"),
    path(
        "review/reports/<str:reference>/referrals/<uuid:referral_id>/",
        report_review.update_referral,
        name="staff_update_referral",
    ),
    path(
        "review/reports/<str:reference>/mark-unfounded/",
        report_review.report_mark_unfounded,
        name="staff_report_unfounded",
    ),
    path(
        "review/cases/<str:reference>/mark-unfounded/",
        report_review.appeal_mark_unfounded,
        name="review_mark_unfounded",
    ),
]

# Supervise: supervisors only (deadlines, escalations, assignment, correcting a decision).
supervise_patterns = [
    path("supervise/", supervisor.overview, name="supervisor_overview"),
    path("supervise/auto-assign/", supervisor.auto_assign, name="supervisor_auto_assign"),
    path("supervise/deadlines/", supervisor.deadlines, name="supervisor_deadlines"),
    path(
        "supervise/escalations/<int:escalation_id>/handle/",
        supervisor.handle_escalation,
        name="supervisor_handle_escalation",
    ),
    path(
        "review/cases/<str:reference>/correct-decision/",
        reviewer.correct_decision,
        name="review_correct_decision",
    ),
]

# Liaison: a platform's liaison officers, carrying out retraction orders.
liaison_patterns = [
    path("liaison/", liaison.orders, name="liaison_orders"),
    path("liaison/orders/<uuid:retraction_id>/", liaison.order, name="liaison_order"),
    path("liaison/orders/<uuid:retraction_id>/confirm/", liaison.confirm, name="liaison_confirm"),
    path("liaison/orders/<uuid:retraction_id>/dispute/", liaison.dispute, name="liaison_dispute"),
    path("liaison/orders/<uuid:retraction_id>/offer/", liaison.offer, name="liaison_offer"),
    path("liaison/orders/<uuid:retraction_id>/paid/", liaison.paid, name="liaison_paid"),
]

# Audit: auditors reading the trail (transparency reports also for supervisors).
audit_patterns = [
    path("audit/", auditor.trail, name="audit_trail"),
    path("audit/verify/", auditor.verify, name="audit_verify"),
    path("audit/export.csv", auditor.export, name="audit_export"),
    path("audit/reports/new/", auditor.request_report, name="audit_request_report"),
    path("audit/reports/<int:report_id>/", auditor.report_progress, name="audit_report"),
]

# Staff: the staff home page, and supervisors importing statements of reasons.
staff_patterns = [
    path("staff/", staff.staff_home, name="staff_home"),
    path("staff/imports/", imports.imports, name="staff_imports"),
    path("staff/imports/<int:run_id>/", imports.import_progress, name="staff_import"),
]

# API: platforms' systems, with a key (appeals/views/api.py); no session, no CSRF.
api_patterns = [
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
    path("api/v1/appeals", api.appeals, name="api_appeals"),
    path("api/v1/retractions", api.retractions, name="api_retractions"),
    path("api/v1/retractions/<uuid:retraction_id>/confirm", api.confirm, name="api_confirm"),
    path("api/v1/retractions/<uuid:retraction_id>/dispute", api.dispute, name="api_dispute"),
    path("api/v1/statements", api.statements, name="api_statements"),
]

urlpatterns = [
    *public_patterns,
    *filing_patterns,
    *appellant_patterns,
    *reports_patterns,
    *advocate_patterns,
    *review_patterns,
    *supervise_patterns,
    *liaison_patterns,
    *audit_patterns,
    *staff_patterns,
    *api_patterns,
]
