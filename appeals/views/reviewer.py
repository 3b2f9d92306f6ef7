"""The reviewers' area: the queue and the case page with its actions.

Every view is behind ``staff_required`` (role and second factor). Actions read
the case through ``appeal_get_for_staff``, which gives 404 outside the reviewer's
jurisdictions or with a conflict of interest; the case page, its letters and its
evidence through ``appeal_for_staff_to_read``, which also lets a reviewer read a
case they decided.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from appeals.accounts.gates import cross_site_refused, staff_required
from appeals.accounts.http import AuthenticatedHttpRequest
from appeals.errors import Refused
from appeals.forms.review import (
    AssignForm,
    CorrectDecisionForm,
    DecisionForm,
    FlagForm,
    QueueFilterForm,
    RequestInformationForm,
    ReturnDecisionForm,
)
from appeals.models import (
    BasisKind,
    DecisionProposal,
    Outcome,
)
from appeals.models.appeal import OrderedRemedy
from appeals.permissions import can_act_on_case, has_role
from appeals.roles import Role
from appeals.selectors.appeals import appeal_messages_for_appellant
from appeals.selectors.queue import (
    Cursor,
    QueueFilters,
    appeal_and_conflicts_for_staff,
    appeal_for_staff_to_read,
    appeal_get_for_staff,
    appeal_timeline_for_staff,
    evidence_get_for_appeal,
    evidence_of_appeal,
    letter_issued_get,
    letters_of_appeal,
    proposal_get,
    proposals_history,
    qualified_reviewers,
    related_cases,
    review_queue,
    reviewer_choices,
)
from appeals.selectors.retractions import retractions_of_appeal
from appeals.services.appeals import appeal_request_information
from appeals.services.assignment import (
    appeal_assign,
    appeal_claim,
    appeal_flag_for_second_review,
    appeal_release,
)
from appeals.services.corrections import decision_correct
from appeals.services.decisions import (
    DecisionInput,
    appeal_decide,
    decision_approve,
    decision_return,
)
from appeals.services.evidence import evidence_record_opening
from appeals.views.files import evidence_file_response, pdf_attachment

REVIEW_ROLES = (Role.REVIEWER, Role.SUPERVISOR)


@require_safe
@staff_required(*REVIEW_ROLES)
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    filters = QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = QueueFilters(
            jurisdiction=data["jurisdiction"].pk if data["jurisdiction"] else None,
            platform=data["platform"].pk if data["platform"] else None,
            category=data["category"],
            priority=data["priority"],
            status=data["status"],
            assigned=data["assigned"],
        )
    after = Cursor.decode(request.GET.get("after", ""))
    page = review_queue(request.user, filters, after=after)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "reviewer/queue.html",
        {"form": form, "page": page, "query": query.urlencode(), "first_page": after is None},
    )


def _case_context(
    request: AuthenticatedHttpRequest, reference: str, **forms_: Any
) -> dict[str, Any]:
    me = request.user
    appeal, conflicts = appeal_and_conflicts_for_staff(me, reference, reading=True)
    # A reviewer with a conflict reads the case (one they decided) but acts on nothing.
    read_only = bool(conflicts) and not has_role(me, Role.SUPERVISOR)
    proposals = proposals_history(appeal)
    proposal = next((p for p in proposals if p.state == DecisionProposal.State.PENDING), None)
    decision = appeal.current_decision()
    reviewers = qualified_reviewers(appeal) if has_role(me, Role.SUPERVISOR) else []
    return {
        "appeal": appeal,
        "takedown": appeal.takedown,
        "evidence": evidence_of_appeal(appeal),
        "messages_on_case": appeal_messages_for_appellant(appeal),
        "timeline": appeal_timeline_for_staff(appeal),
        "related": related_cases(appeal, me),
        "proposal": proposal,
        "past_proposals": [p for p in proposals if p.state != DecisionProposal.State.PENDING],
        "decision": decision,
        "conflicts": conflicts,
        "read_only": read_only,
        "is_mine": appeal.assigned_to_id == me.pk and not read_only,
        "can_act": can_act_on_case(me, appeal) and not read_only,
        "is_supervisor": has_role(me, Role.SUPERVISOR),
        "is_reviewer": has_role(me, Role.REVIEWER) and not read_only,
        "can_second_review": (
            bool(proposal)
            and has_role(me, Role.REVIEWER)
            and proposal.proposed_by_id != me.pk  # type: ignore[union-attr]
            and not read_only
        ),
        "question_form": forms_.get("question_form") or RequestInformationForm(),
        "decision_form": forms_.get("decision_form") or DecisionForm(),
        "return_form": forms_.get("return_form") or ReturnDecisionForm(),
        "flag_form": forms_.get("flag_form") or FlagForm(),
        "assign_form": forms_.get("assign_form")
        or AssignForm(reviewers=reviewer_choices(reviewers)),
        "remedy_labels": dict(OrderedRemedy.choices),
        "letters": letters_of_appeal(appeal),
        "retractions": retractions_of_appeal(appeal),
        "correct_form": forms_.get("correct_form") or CorrectDecisionForm(),
    }


def _case_page(
    request: AuthenticatedHttpRequest, reference: str, status: int = 200, **forms_: Any
) -> HttpResponse:
    return render(
        request, "reviewer/case.html", _case_context(request, reference, **forms_), status=status
    )


def _back(reference: str) -> HttpResponse:
    return redirect("review_case", reference=reference)


@require_safe
@staff_required(*REVIEW_ROLES)
def case(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, reference)


def _refused(request: HttpRequest, reference: str, message: str) -> HttpResponse:
    messages.error(request, message)
    return _back(reference)


@require_POST
@staff_required(*REVIEW_ROLES)
def claim(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    appeal = appeal_get_for_staff(request.user, reference)
    try:
        appeal_claim(appeal=appeal, reviewer=request.user)
    except Refused as exc:
        return _refused(request, appeal.reference, exc.message)
    messages.success(request, _("The case is yours."))
    return _back(appeal.reference)


@require_POST
@staff_required(*REVIEW_ROLES)
def release(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    appeal = appeal_get_for_staff(request.user, reference)
    try:
        appeal_release(appeal=appeal, by=request.user)
    except Refused as exc:
        return _refused(request, appeal.reference, exc.message)
    messages.success(request, _("The case is back in the queue."))
    return redirect("review_queue")


@require_POST
@staff_required(*REVIEW_ROLES)
def request_information(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    me = request.user
    appeal = appeal_get_for_staff(me, reference)
    form = RequestInformationForm(request.POST)
    if not can_act_on_case(me, appeal):
        return _refused(request, appeal.reference, _("Only the assigned reviewer can do this."))
    if not form.is_valid():
        return _case_page(request, reference, status=400, question_form=form)
    try:
        appeal_request_information(
            appeal=appeal, reviewer=me, question=form.cleaned_data["question"]
        )
    except Refused as exc:
        return _refused(request, appeal.reference, exc.message)
    messages.success(
        request, _("Your question was sent. The clock is paused until the appellant answers.")
    )
    return _back(appeal.reference)


@require_POST
@staff_required(Role.REVIEWER)
def decide(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    me = request.user
    appeal = appeal_get_for_staff(me, reference)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _case_page(request, reference, status=400, decision_form=form)
    data = form.cleaned_data
    try:
        result = appeal_decide(
            appeal=appeal,
            reviewer=me,
            decision=DecisionInput(
                outcome=Outcome(data["outcome"]),
                reasons=data["reasons"],
                basis_kind=BasisKind(data["basis_kind"]),
                basis=data["basis"],
                remedies_ordered=data["remedies_ordered"],
                internal_note=data["internal_note"],
                automated_means_used=data["automated_means_used"],
            ),
        )
    except Refused as exc:
        form.add_error(None, exc.message)
        return _case_page(request, reference, status=400, decision_form=form)
    if isinstance(result, DecisionProposal):
        messages.success(
            request,
            _("Your decision needs a second reviewer (%(rules)s). It takes effect once approved.")
            % {"rules": "; ".join(result.rules_matched)},
        )
        return _back(appeal.reference)
    messages.success(
        request,
        _(
            "Your decision on %(reference)s is recorded and the appellant has been told. "
            "The letter and any orders to the platform are on this page."
        )
        % {"reference": appeal.reference},
    )
    return redirect(reverse("review_case", args=[appeal.reference]) + "#decision-title")


@require_POST
@staff_required(Role.REVIEWER)
def approve(request: AuthenticatedHttpRequest, reference: str, proposal_id: int) -> HttpResponse:
    me = request.user
    appeal = appeal_get_for_staff(me, reference)
    try:
        decision_approve(proposal=proposal_get(appeal, proposal_id), second_reviewer=me)
    except Refused as exc:
        return _refused(request, appeal.reference, exc.message)
    messages.success(request, _("You approved the decision. The appellant has been told."))
    return _back(appeal.reference)


@require_POST
@staff_required(Role.REVIEWER)
def return_decision(
    request: AuthenticatedHttpRequest, reference: str, proposal_id: int
) -> HttpResponse:
    me = request.user
    appeal = appeal_get_for_staff(me, reference)
    proposal = proposal_get(appeal, proposal_id)
    form = ReturnDecisionForm(request.POST)
    if not form.is_valid():
        return _case_page(request, reference, status=400, return_form=form)
    try:
        decision_return(
            proposal=proposal, second_reviewer=me, comments=form.cleaned_data["comments"]
        )
    except Refused as exc:
        return _refused(request, appeal.reference, exc.message)
    messages.success(request, _("You returned the decision to its reviewer with your comments."))
    return _back(appeal.reference)


@require_POST
@staff_required(Role.SUPERVISOR)
def assign(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    me = request.user
    appeal = appeal_get_for_staff(me, reference)
    reviewers = reviewer_choices(qualified_reviewers(appeal))
    form = AssignForm(request.POST, reviewers=reviewers)
    if not form.is_valid():
        return _case_page(request, reference, status=400, assign_form=form)
    try:
        appeal_assign(appeal=appeal, reviewer=form.cleaned_data["reviewer"], by=me)
    except Refused as exc:
        form.add_error("reviewer", exc.message)
        return _case_page(request, reference, status=400, assign_form=form)
    messages.success(request, _("The case was assigned."))
    return _back(appeal.reference)


@require_POST
@staff_required(Role.SUPERVISOR)
def flag(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    me = request.user
    appeal = appeal_get_for_staff(me, reference)
    form = FlagForm(request.POST)
    if not form.is_valid():
        return _case_page(request, reference, status=400, flag_form=form)
    try:
        appeal_flag_for_second_review(
            appeal=appeal, supervisor=me, reason=form.cleaned_data["reason"]
        )
    except Refused as exc:
        return _refused(request, appeal.reference, exc.message)
    messages.success(request, _("The decision on this case will need a second reviewer."))
    return _back(appeal.reference)


@require_GET
@staff_required(*REVIEW_ROLES)
@cross_site_refused
def evidence_open(
    request: AuthenticatedHttpRequest, reference: str, evidence_id: uuid.UUID
) -> FileResponse:
    """Staff open evidence only through here, and each opening is in the audit trail."""
    me = request.user
    appeal = appeal_for_staff_to_read(me, reference)
    evidence = evidence_get_for_appeal(appeal, evidence_id)
    evidence_record_opening(evidence=evidence, by=me)
    return evidence_file_response(evidence)


@require_safe
@staff_required(*REVIEW_ROLES)
def letter_download(
    request: AuthenticatedHttpRequest, reference: str, letter_id: uuid.UUID
) -> FileResponse:
    appeal = appeal_for_staff_to_read(request.user, reference)
    letter = letter_issued_get(appeal, letter_id)
    return pdf_attachment(letter.file, f"{appeal.reference}-{letter.kind}.pdf")


@require_POST
@staff_required(Role.SUPERVISOR)
def correct_decision(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    me = request.user
    appeal = appeal_get_for_staff(me, reference)
    decision = appeal.current_decision()
    form = CorrectDecisionForm(request.POST)
    if decision is None:
        return _refused(request, appeal.reference, _("This case has no decision to withdraw."))
    if not form.is_valid():
        return _case_page(request, reference, status=400, correct_form=form)
    try:
        decision_correct(decision=decision, supervisor=me, reasons=form.cleaned_data["reasons"])
    except Refused as exc:
        return _refused(request, appeal.reference, exc.message)
    messages.success(
        request,
        _("The decision was withdrawn. The case is back in the queue for another reviewer."),
    )
    return _back(appeal.reference)
