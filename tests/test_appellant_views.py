from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appeals.models import (
    Appeal,
    AppealDraft,
    AppealMessage,
    AppealStatus,
    AuditAction,
    AuditEvent,
    EvidenceFile,
    User,
)
from appeals.services.appeals import appeal_request_information
from appeals.services.audit import audit_record
from appeals.services.evidence import evidence_add
from tests.conftest import sign_in
from tests.factories import (
    MINIMAL_PDF,
    chirp,
    claimed_appeal,
    file_appeal,
    germany,
    known_takedown,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def appellant_client(client: Client, appellant: User) -> Client:
    germany()
    chirp()
    return sign_in(client, appellant)


def _start(client: Client) -> str:
    response = client.post(reverse("filing_start"))
    assert response.status_code == 302
    return response.url.split("/")[2]


def _recent(days: int = 3) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def _fill_unknown_takedown(client: Client, draft_id: str) -> None:
    response = client.post(
        reverse("filing_takedown", args=[draft_id]),
        {"platform": "chirp", "platform_reference": "NOT-KNOWN", "jurisdiction": "DE"},
    )
    assert response.url == reverse("filing_details", args=[draft_id])
    response = client.post(
        reverse("filing_details", args=[draft_id]),
        {
            "measures": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
            "content_url": "https://chirp.example/p/5",
            "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
            "rule_cited": "Rule 3",
            "informed_on": _recent(),
        },
    )
    assert response.url == reverse("filing_grounds", args=[draft_id]), response.content.decode()[
        :3000
    ]


def _fill_grounds(client: Client, draft_id: str) -> None:
    response = client.post(
        reverse("filing_grounds", args=[draft_id]),
        {"grounds": "It was satire.", "remedies": ["reinstate_content"], "language": "en"},
    )
    assert response.url == reverse("filing_evidence", args=[draft_id])


def test_the_whole_filing_journey_creates_one_appeal(
    appellant_client: Client, appellant: User, django_capture_on_commit_callbacks: Callable
) -> None:
    draft_id = _start(appellant_client)
    _fill_unknown_takedown(appellant_client, draft_id)
    _fill_grounds(appellant_client, draft_id)
    response = appellant_client.post(
        reverse("filing_evidence", args=[draft_id]),
        {"attachments": [pdf_upload()], "action": "continue"},
    )
    assert response.url == reverse("filing_check", args=[draft_id])
    page = appellant_client.get(reverse("filing_check", args=[draft_id])).content.decode()
    assert "It was satire." in page and "screenshot.pdf" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = appellant_client.post(
            reverse("filing_check", args=[draft_id]), {"good_faith": "on"}
        )
    appeal = Appeal.objects.get(appellant=appellant)
    assert response.url == reverse("appeal_received", args=[appeal.reference])
    assert appeal.evidence.count() == 1
    received = appellant_client.get(response.url).content.decode()
    assert appeal.reference in received

    # A second submit (double click, back button) changes nothing.
    again = appellant_client.post(reverse("filing_check", args=[draft_id]), {"good_faith": "on"})
    assert again.status_code == 302
    assert Appeal.objects.filter(appellant=appellant).count() == 1


def test_the_check_page_needs_the_good_faith_statement(appellant_client: Client) -> None:
    draft_id = _start(appellant_client)
    _fill_unknown_takedown(appellant_client, draft_id)
    _fill_grounds(appellant_client, draft_id)
    response = appellant_client.post(reverse("filing_check", args=[draft_id]), {})
    assert response.status_code == 200
    assert "Confirm that what you told us is true" in response.content.decode()
    assert not Appeal.objects.exists()


def test_a_known_reference_prefills_the_platform_decision(appellant_client: Client) -> None:
    known_takedown("SOR-42")
    draft_id = _start(appellant_client)
    appellant_client.post(
        reverse("filing_takedown", args=[draft_id]),
        {"platform": "chirp", "platform_reference": "sor-42", "jurisdiction": "DE"},
    )
    page = appellant_client.get(reverse("filing_details", args=[draft_id])).content.decode()
    assert "We found the platform’s decision" in page
    assert "Community rules, section 3" in page
    assert 'name="measures"' not in page


def test_an_error_keeps_everything_typed_and_a_reload_restores_it(appellant_client: Client) -> None:
    draft_id = _start(appellant_client)
    _fill_unknown_takedown(appellant_client, draft_id)
    url = reverse("filing_grounds", args=[draft_id])
    response = appellant_client.post(
        url, {"grounds": "", "remedies": ["compensation"], "language": "de"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_grounds"' in page
    assert (
        'value="compensation"' in page and "checked" in page.split('value="compensation"')[1][:40]
    )

    typed = "Half an answer <script>alert(1)</script>"
    appellant_client.post(url, {"grounds": typed, "remedies": [], "language": "de"})
    reloaded = appellant_client.get(url).content.decode()
    assert "Half an answer &lt;script&gt;alert(1)&lt;/script&gt;" in reloaded
    assert "<script>alert(1)" not in reloaded


def test_a_late_appeal_is_refused_in_the_page_with_the_last_date(appellant_client: Client) -> None:
    draft_id = _start(appellant_client)
    appellant_client.post(
        reverse("filing_takedown", args=[draft_id]),
        {"platform": "chirp", "platform_reference": "", "jurisdiction": "DE"},
    )
    informed = timezone.localdate() - timedelta(days=400)
    response = appellant_client.post(
        reverse("filing_details", args=[draft_id]),
        {"measures": ["DECISION_ACCOUNT_SUSPENDED"], "informed_on": informed.isoformat()},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The last day to appeal this decision here was" in page
    assert str(informed.year + 1) in page  # the last day is six months later


def test_an_exe_renamed_pdf_is_refused_with_a_reason_and_other_files_are_kept(
    appellant_client: Client,
) -> None:
    draft_id = _start(appellant_client)
    _fill_unknown_takedown(appellant_client, draft_id)
    _fill_grounds(appellant_client, draft_id)
    fake = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    response = appellant_client.post(
        reverse("filing_evidence", args=[draft_id]),
        {"attachments": [pdf_upload("real.pdf"), fake], "action": "continue"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "invoice.pdf" in page and "PDF" in page
    assert list(EvidenceFile.objects.values_list("original_name", flat=True)) == ["real.pdf"]


def test_another_person_gets_404_for_every_case_url_and_nothing_changes(
    client: Client, appellant: User, make_user: Callable[..., User]
) -> None:
    appeal = file_appeal(appellant)
    evidence = evidence_add(upload=pdf_upload(), uploaded_by=appellant, appeal=appeal)
    draft = AppealDraft.objects.create(owner=appellant, answers={})
    sign_in(client, make_user("b@example.org"))
    ref = appeal.reference
    for url in (
        reverse("appeal_detail", args=[ref]),
        reverse("appeal_received", args=[ref]),
        reverse("appeal_withdraw", args=[ref]),
        reverse("evidence_download", args=[ref, evidence.pk]),
        reverse("filing_takedown", args=[draft.pk]),
        reverse("filing_check", args=[draft.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("appeal_withdraw", args=[ref])).status_code == 404
    assert client.post(reverse("appeal_message", args=[ref]), {"body": "hi"}).status_code == 404
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED
    assert not AppealMessage.objects.exists()


def test_a_file_is_only_found_under_its_own_case(client: Client, appellant: User) -> None:
    first = file_appeal(appellant)
    second = file_appeal(appellant)
    evidence = evidence_add(upload=pdf_upload(), uploaded_by=appellant, appeal=first)
    sign_in(client, appellant)
    url = reverse("evidence_download", args=[second.reference, evidence.pk])
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, appellant: User) -> None:
    appeal = file_appeal(appellant)
    for url in (reverse("my_cases"), reverse("appeal_detail", args=[appeal.reference])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    drafts_before = AppealDraft.objects.count()
    response = client.post(reverse("filing_start"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert AppealDraft.objects.count() == drafts_before


def test_write_urls_refuse_the_wrong_method(appellant_client: Client, appellant: User) -> None:
    appeal = file_appeal(appellant)
    assert appellant_client.get(reverse("filing_start")).status_code == 405
    assert (
        appellant_client.get(reverse("appeal_message", args=[appeal.reference])).status_code == 405
    )
    assert (
        appellant_client.post(reverse("appeal_detail", args=[appeal.reference])).status_code == 405
    )


def test_evidence_downloads_as_an_attachment_that_browsers_will_not_sniff(
    appellant_client: Client, appellant: User
) -> None:
    appeal = file_appeal(appellant)
    evidence = evidence_add(upload=pdf_upload(), uploaded_by=appellant, appeal=appeal)
    response = appellant_client.get(
        reverse("evidence_download", args=[appeal.reference, evidence.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_the_case_page_answers_a_question_and_shows_no_staff_only_events(
    appellant_client: Client, appellant: User, reviewer: User
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    appeal_request_information(appeal=appeal, reviewer=reviewer, question="Which post was it?")
    audit_record(action=AuditAction.APPEAL_EVIDENCE_OPENED, actor=reviewer, target=appeal)
    page = appellant_client.get(reverse("appeal_detail", args=[appeal.reference])).content.decode()
    assert "We need your answer" in page and "Which post was it?" in page
    assert "Evidence opened" not in page

    response = appellant_client.post(
        reverse("appeal_message", args=[appeal.reference]), {"body": "The one from Monday."}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UNDER_REVIEW
    assert AuditEvent.objects.filter(
        appeal=appeal, action=AuditAction.APPEAL_INFORMATION_PROVIDED
    ).exists()


def test_an_empty_message_gets_an_error_in_the_page(
    appellant_client: Client, appellant: User
) -> None:
    appeal = file_appeal(appellant)
    response = appellant_client.post(
        reverse("appeal_message", args=[appeal.reference]), {"body": ""}
    )
    assert response.status_code == 400
    assert "Write your message." in response.content.decode()


def test_withdrawing_asks_first_then_closes_the_case(
    appellant_client: Client, appellant: User
) -> None:
    appeal = file_appeal(appellant)
    url = reverse("appeal_withdraw", args=[appeal.reference])
    assert "Are you sure" in appellant_client.get(url).content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED
    appellant_client.post(url)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.WITHDRAWN
    assert AuditEvent.objects.filter(appeal=appeal, action=AuditAction.APPEAL_WITHDRAWN).exists()


def test_my_cases_lists_appeals_with_a_fixed_number_of_queries(
    appellant_client: Client, appellant: User, django_assert_max_num_queries: Callable
) -> None:
    for _ in range(3):
        file_appeal(appellant)
    with django_assert_max_num_queries(8) as few:
        appellant_client.get(reverse("my_cases"))
    for _ in range(12):
        file_appeal(appellant)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = appellant_client.get(reverse("my_cases")).content.decode()
    assert page.count("APL-") >= 15
