"""Demo cases at the seams between features, so that ``make run`` (and the role
walk of tests/test_role_walk.py) shows every kind of object a staff page must
handle: an escalation of every kind, a returned four-eyes proposal, a question
the appellant answered, an order the platform disputes.

Loaded once, through the services, like everything else in the demo.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from appeals.demo.accounts import DEMO_ORGANISATION, DEMO_USERS
from appeals.models import (
    Appeal,
    BasisKind,
    Gravity,
    Jurisdiction,
    Organisation,
    Outcome,
    Platform,
    ReferralStatus,
    Remedy,
    Retraction,
    User,
)
from appeals.services.appeals import appeal_message_post, appeal_request_information
from appeals.services.assignment import appeal_claim, appeal_flag_for_second_review
from appeals.services.deadlines import deadlines_sweep
from appeals.services.decisions import DecisionInput, appeal_decide, decision_return
from appeals.services.misuse import misuse_mark, sanction_contest
from appeals.services.reports import Location, ReportSubmission, referral_update, report_file
from appeals.services.retractions import retraction_dispute

# The marker of this step: the demo appellant's appeal that the sweep escalates.
OVERDUE_URL = "https://chirp.example/alex/overdue"
REPEAT_EMAIL = "repeat.filer@demo.example"


def _user(email: str) -> User:
    return User.objects.get(email=email)


def demo_seed_seams() -> int:
    """Add the seam cases once; return how many objects were added (0 if loaded)."""
    from appeals.demo.seed import _file_described

    if Appeal.objects.filter(takedown__content_url=OVERDUE_URL).exists():
        return 0
    appellant = _user(DEMO_USERS[0].email)
    reviewer = _user("reviewer@example.org")
    supervisor = _user("supervisor@example.org")
    liaison = _user("liaison@example.org")
    germany = Jurisdiction.objects.get(code="DE")
    chirp = Platform.objects.get(slug="chirp")
    now = timezone.now()

    filed: list[Appeal] = []

    def file(slug: str, days_ago: int, grounds: str, person: User = appellant) -> Appeal:
        filed.append(
            _file_described(
                person,
                platform=chirp,
                jurisdiction=germany,
                filed=now - timedelta(days=days_ago),
                content_url=f"https://chirp.example/alex/{slug}",
                rule_cited="Community rules, section 3",
                statement_text="Removed for breaking our community rules.",
                grounds=grounds,
            )
        )
        return filed[-1]

    # An appeal nobody took, past its decision deadline: the sweep escalates it.
    file("overdue", 20, "My review of a film was removed as spam. It is not spam.")

    # The appellant answered the reviewer's question: back under review.
    answered = file("answered", 5, "The photo of the march is mine and shows no faces.")
    appeal_claim(appeal=answered, reviewer=reviewer, now=now - timedelta(days=4))
    appeal_request_information(
        appeal=answered,
        reviewer=reviewer,
        question="Can you send the original photo, or say where you took it?",
        now=now - timedelta(days=3),
    )
    appeal_message_post(
        appeal=answered,
        author=appellant,
        body="I took it on the Marienplatz in Munich on 1 May. The original is on my phone.",
        now=now - timedelta(days=1),
    )

    # A four-eyes proposal the second reviewer returned with comments.
    returned = file("returned", 4, "I was quoting the song to criticise it.")
    appeal_flag_for_second_review(
        appeal=returned,
        supervisor=supervisor,
        reason="Quotation of lyrics: a second view before reversing.",
        now=now - timedelta(days=3, hours=12),
    )
    appeal_claim(appeal=returned, reviewer=reviewer, now=now - timedelta(days=3))
    proposal = appeal_decide(
        appeal=returned,
        reviewer=reviewer,
        decision=DecisionInput(
            outcome=Outcome.REVERSED,
            reasons="The post quotes the lyrics to criticise them, which section 3 allows.",
            basis_kind=BasisKind.CONTRACTUAL,
            basis="Community rules, section 3, exception for criticism.",
            remedies_ordered=[Remedy.REINSTATE_CONTENT],
        ),
        now=now - timedelta(days=2),
    )
    decision_return(
        proposal=proposal,  # type: ignore[arg-type]  # the flag makes it a proposal
        second_reviewer=supervisor,
        comments="Say which lines are quoted and where the criticism is; the reasons are thin.",
        now=now - timedelta(days=1),
    )

    # A reversed decision whose order the platform disputes.
    disputed = file("disputed", 3, "The account was suspended over a joke between friends.")
    appeal_claim(appeal=disputed, reviewer=reviewer, now=now - timedelta(days=3))
    appeal_decide(
        appeal=disputed,
        reviewer=reviewer,
        decision=DecisionInput(
            outcome=Outcome.REVERSED,
            reasons="The message was a joke between friends, as the replies show.",
            basis_kind=BasisKind.CONTRACTUAL,
            basis="Community rules, section 3: no threat was made.",
            remedies_ordered=[Remedy.REINSTATE_CONTENT],
        ),
        now=now - timedelta(days=1),
    )
    retraction_dispute(
        retraction=Retraction.objects.get(appeal=disputed),
        liaison=liaison,
        reason="The content was removed under a court order in Germany; we cannot restore it.",
        now=now - timedelta(hours=6),
    )

    # A referral the platform has not answered in time.
    advocate = _user("advocate@example.org")
    report = report_file(
        submission=ReportSubmission(
            categories=["hate"],
            explanation="Posts calling for violence against a named refugee shelter.",
            locations=[Location(url="https://chirp.example/p/7007", platform=chirp)],
            jurisdictions=[germany],
            victim_reference="Shelter B",
            consent_given_by="advocate",
            consent_scope="Reporting to the platform.",
            requested_actions=["removal"],
            good_faith=True,
        ),
        filed_by=advocate,
        organisation=Organisation.objects.get(name=DEMO_ORGANISATION),
        now=now - timedelta(days=9),
    ).report
    for referral in report.referrals.all():
        referral_update(referral=referral, status=ReferralStatus.SENT, outcome="", by=reviewer)

    # A person warned for repeated unfounded appeals, who contests the warning.
    repeat = User.objects.create_user(REPEAT_EMAIL, None, full_name="Robin Repeat")
    for i in range(settings.MISUSE_WARN_AT):
        unfounded = file(f"repeat-{i}", 8 - i, "Remove everything they say about me.", repeat)
        misuse_mark(
            submitter=repeat,
            by=reviewer,
            gravity=Gravity.LOW,
            appeal=unfounded,
            now=now - timedelta(days=7 - i),
        )
    sanction = repeat.sanctions.get()
    sanction_contest(
        sanction=sanction,
        user=repeat,
        text="Each appeal was about a different post; none was unfounded.",
    )

    # What the worker's sweep does within minutes of `make run`: the overdue appeal,
    # the late referral and the late retraction orders are escalated.
    deadlines_sweep(now=now)
    return len(filed) + 1  # the appeals and the report
