"""What the benchmark measures: signed-in sessions as the sign-in flows leave
them, the pages, and drafts ready to submit."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any


def sessions_and_targets(drafts: int, host: str) -> dict[str, Any]:
    """Signed-in sessions (as the sign-in flows leave them) and the pages to measure."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from appeals.models import Appeal, AppealDraft, Platform, User
    from appeals.models.appeal import OPEN_STATUSES

    def session_for(email: str, *, mfa: bool = False) -> Client:
        client = Client(HTTP_HOST=host)
        user = User.objects.get(email=email)
        client.force_login(user)
        if mfa:
            session = client.session
            session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                {"method": "password", "at": time.time(), "email": email},
                {"method": "mfa", "at": time.time(), "type": "totp"},
            ]
            session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
            session.save()
        return client

    def cookie(client: Client) -> str:
        client.get(reverse("home"))  # sets the CSRF cookie
        return "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())

    reviewer = session_for("reviewer@example.org", mfa=True)
    reviewer_user = User.objects.get(email="reviewer@example.org")
    scope = list(reviewer_user.reviewer_profile.jurisdictions.values_list("pk", flat=True))  # type: ignore[attr-defined]
    case = (
        Appeal.objects.filter(status__in=OPEN_STATUSES, jurisdiction__in=scope)
        .exclude(appellant__email="appellant@example.org")
        .order_by("due_at", "priority_rank", "id")
        .values_list("reference", flat=True)[1000]
    )
    appellant = session_for("appellant@example.org")
    own_case = (
        Appeal.objects.filter(appellant__email="appellant@example.org")
        .order_by("-filed_at")
        .values_list("reference", flat=True)[3]
    )
    platform = Platform.objects.order_by("slug").first()
    if platform is None:
        raise RuntimeError("The demo data has no platform.")
    # One real draft, filled in through the filing pages, is the pattern for the
    # others; each copy names a different platform reference.
    filer_email = "filer@bench.example.org"
    if not User.objects.filter(email=filer_email).exists():
        User.objects.create_user(filer_email)
    filer = session_for(filer_email)
    filer_cookie = cookie(filer)
    draft_id = fill_one_draft(filer)
    pattern = AppealDraft.objects.get(pk=draft_id)
    answers = json.dumps(pattern.answers)
    if "BENCH-PATTERN" not in answers:
        raise RuntimeError("The draft's answers changed shape; update fill_one_draft.")
    copies = AppealDraft.objects.bulk_create(
        [
            AppealDraft(
                owner_id=pattern.owner_id,
                answers=json.loads(answers.replace("BENCH-PATTERN", f"BENCH-{n}")),
            )
            for n in range(drafts)
        ],
        batch_size=5000,
    )
    token = re.search(r"csrftoken=([^;]+)", filer_cookie)
    if token is None:
        raise RuntimeError("The site set no CSRF cookie.")
    drafts_file = Path(settings.VAR_DIR) / "bench" / "drafts.txt"
    drafts_file.parent.mkdir(parents=True, exist_ok=True)
    drafts_file.write_text(
        "\n".join(
            [filer_cookie, token.group(1)] + [reverse("filing_check", args=[d.pk]) for d in copies]
        )
        + "\n"
    )
    reviewer_cookie, appellant_cookie = cookie(reviewer), cookie(appellant)
    return {
        "pages": [
            ("reference: tiny template", reverse("bench_reference_tiny"), ""),
            ("reference: 25-row list", reverse("bench_reference_list"), ""),
            ("reviewer queue, first page", reverse("review_queue"), reviewer_cookie),
            (
                "reviewer queue, filtered",
                f"{reverse('review_queue')}?platform={platform.pk}&priority=priority",
                reviewer_cookie,
            ),
            ("reviewer case page", reverse("review_case", args=[case]), reviewer_cookie),
            ("appellant case list", reverse("my_cases"), appellant_cookie),
            ("appellant case page", reverse("appeal_detail", args=[own_case]), appellant_cookie),
            ("public statistics", reverse("statistics"), ""),
        ],
        "drafts_file": str(drafts_file),
        "draft_ids": [str(d.pk) for d in copies],
    }


def fill_one_draft(client: Any) -> str:
    """File the answers of one appeal through the real pages, stopping before submit."""
    from django.urls import reverse
    from django.utils import timezone

    response = client.post(reverse("filing_start"))
    draft_id = response.url.split("/")[2]
    steps = [
        (
            "filing_takedown",
            {"platform": "chirp", "platform_reference": "BENCH-PATTERN", "jurisdiction": "DE"},
        ),
        (
            "filing_details",
            {
                "measures": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
                "content_url": "https://chirp.example/p/5",
                "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
                "rule_cited": "Rule 3",
                "informed_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
            },
        ),
        (
            "filing_grounds",
            {"grounds": "It was satire.", "remedies": ["reinstate_content"], "language": "en"},
        ),
        ("filing_evidence", {"action": "continue"}),
    ]
    for name, data in steps:
        response = client.post(reverse(name, args=[draft_id]), data)
        if response.status_code != 302:
            raise RuntimeError(f"{name} did not accept the benchmark answers")
    return draft_id
