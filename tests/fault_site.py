"""Run by tests/test_fault_database_restart.py inside ``manage.py shell -c`` against
that test's own PostgreSQL cluster (not the pytest database). Each function prints
one line, ``FAULT-JSON <json>``, for the test to read."""

from __future__ import annotations

import copy
import json
from collections import Counter
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ

from appeals.models import (
    Appeal,
    AppealDraft,
    AuditAction,
    AuditEvent,
    Letter,
    OutboundEmail,
    Takedown,
    User,
)
from tests.factories import chirp, germany

MARK = "FAULT-JSON "


def _out(value: Any) -> None:
    print(MARK + json.dumps(value), flush=True)


def _appellant(number: int) -> User:
    email = f"burst{number:03d}@example.org"
    user = User.objects.create_user(email, None)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _post(client: Client, url: str, data: dict[str, Any]) -> str:
    response = client.post(url, data)
    if response.status_code != 302:
        raise RuntimeError(f"{url} answered {response.status_code}, not a redirect")
    return str(response["Location"])


def _fill_through_the_pages(client: Client) -> str:
    """One draft filled in step by step through the filing pages, up to the check page."""
    takedown_url = _post(client, reverse("filing_start"), {})
    draft_id = takedown_url.split("/")[2]
    informed_on = (timezone.localdate() - timedelta(days=3)).isoformat()
    _post(
        client,
        takedown_url,
        {"platform": "chirp", "platform_reference": "NOT-KNOWN", "jurisdiction": "DE"},
    )
    _post(
        client,
        reverse("filing_details", args=[draft_id]),
        {
            "measures": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
            "content_url": "https://chirp.example/p/5",
            "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
            "rule_cited": "Rule 3",
            "informed_on": informed_on,
        },
    )
    evidence_url = _post(
        client,
        reverse("filing_grounds", args=[draft_id]),
        {"grounds": "It was satire.", "remedies": ["reinstate_content"], "language": "en"},
    )
    if evidence_url != reverse("filing_evidence", args=[draft_id]):
        raise RuntimeError(f"the grounds step led to {evidence_url}")
    return draft_id


def prepare(count: int) -> None:
    """``count`` signed-in appellants, each with a complete draft ready to send.

    The first draft is filled in through the filing pages; the others are copies of
    its answers. Prints [{"email", "session", "draft"}, ...].
    """
    germany()
    chirp()
    people = []
    template: AppealDraft | None = None
    for number in range(count):
        user = _appellant(number)
        client = Client()
        client.force_login(user)  # django.contrib.auth.login, as signing in does
        if template is None:
            template = AppealDraft.objects.get(pk=_fill_through_the_pages(client))
            draft = template
        else:
            draft = AppealDraft.objects.create(owner=user, answers=copy.deepcopy(template.answers))
        people.append(
            {
                "email": user.email,
                "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "draft": str(draft.pk),
            }
        )
    _out(people)


def report() -> None:
    """What the database holds after the burst."""
    filed = Counter(
        AuditEvent.objects.filter(action=AuditAction.APPEAL_FILED).values_list(
            "appeal__reference", flat=True
        )
    )
    queued_names = {task.name() for task in OrmQ.objects.all()}
    receipts = OutboundEmail.objects.filter(template="appeal_received")
    acknowledgements = Letter.objects.filter(kind=Letter.Kind.ACKNOWLEDGEMENT)
    _out(
        {
            "appeals": [
                {
                    "reference": a["reference"],
                    "email": a["appellant__email"],
                    "submission_key": str(a["submission_key"]),
                    "filed_at": a["filed_at"].isoformat(),
                }
                for a in Appeal.objects.values(
                    "reference", "appellant__email", "submission_key", "filed_at"
                )
            ],
            "filed_events": dict(filed),
            "takedowns": Takedown.objects.count(),
            "drafts_sent": {
                str(d["pk"]): d["appeal__reference"]
                for d in AppealDraft.objects.filter(appeal__isnull=False).values(
                    "pk", "appeal__reference"
                )
            },
            # Side effects queued after commit (informational: a commit whose
            # after-commit enqueueing was cut off by the restart leaves no task).
            "receipt_emails": receipts.count(),
            "receipt_emails_without_task": sum(
                f"email-{pk}" not in queued_names for pk in receipts.values_list("pk", flat=True)
            ),
            "acknowledgement_letters": acknowledgements.count(),
            "letters_without_task": sum(
                f"letter-{pk}" not in queued_names
                for pk in acknowledgements.values_list("pk", flat=True)
            ),
        }
    )
