"""Issue 18, parts 2, 3, 4, 7 and the filing limit of 11: evidence caps per case,
revocation that ends every session, portal-named files, PIN and filing limits."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from appeals.client_ip import client_bucket, client_ip
from appeals.evidence_types import EvidenceRefused
from appeals.models import (
    AppealDraft,
    AuditAction,
    AuditEvent,
    EvidenceFile,
    HarmReport,
    RateCounter,
    User,
)
from appeals.selectors import reports as report_selectors
from appeals.selectors.reports import FollowLocked, report_by_pin
from appeals.services import reports as report_services
from appeals.services.evidence import MAX_FILES_PER_CASE, evidence_add
from appeals.services.ratelimit import rate_counters_purge, rate_hit
from appeals.services.reports import Location, ReportRefused, ReportSubmission, report_file
from tests.conftest import sign_in
from tests.factories import chirp, file_appeal, jurisdiction, pdf_upload

pytestmark = pytest.mark.django_db


def text_upload(name: str = "notes.txt", body: str = "What the post said.\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body.encode(), content_type="text/plain")


def submission(**overrides: Any) -> ReportSubmission:
    values: dict[str, Any] = {
        "categories": ["doxxing"],
        "explanation": "My home address was posted.",
        "locations": [Location(url="https://chirp.example/p/1", platform=chirp())],
        "jurisdictions": [jurisdiction("DE")],
        "victim_reference": "Client 3",
        "consent_given_by": "victim",
        "consent_scope": "Reporting this address.",
        "requested_actions": ["removal"],
        "good_faith": True,
        "reporter_name": "Alex",
        "reporter_email": "alex@example.org",
    }
    values.update(overrides)
    return ReportSubmission(**values)


def form_data(**overrides: Any) -> dict[str, Any]:
    chirp()
    data: dict[str, Any] = {
        "categories": ["doxxing"],
        "explanation": "Someone published my home address and phone number.",
        "jurisdictions": [jurisdiction("DE").pk],
        "requested_actions": ["removal"],
        "victim_reference": "Me",
        "consent_given_by": "victim",
        "consent_scope": "Reporting this post.",
        "reporter_name": "Alex",
        "reporter_email": "alex@example.org",
        "good_faith": "on",
        "loc-TOTAL_FORMS": "1",
        "loc-INITIAL_FORMS": "0",
        "loc-0-url": "https://chirp.example/p/1",
        "loc-0-platform": "chirp",
    }
    data.update(overrides)
    return data


def anonymous_report() -> tuple[HarmReport, str, str]:
    filed = report_file(submission=submission(), filed_by=None)
    assert filed.pin and filed.link_token
    return filed.report, filed.pin, filed.link_token


# --- (2) Evidence caps counted per case, under a lock on the case ----------------


def test_files_of_other_reports_do_not_count_towards_a_new_reports_cap() -> None:
    # The reproduction: ten files on other reports made every new attachment a 500.
    for _ in range(2):
        report_file(
            submission=submission(files=[text_upload(f"n{i}.txt") for i in range(5)]),
            filed_by=None,
        )
    assert EvidenceFile.objects.filter(appeal__isnull=True).count() == 10
    response = Client().post(
        reverse("report_new"), form_data(attachments=[text_upload("screenshot.txt")])
    )
    assert response.status_code == 302
    assert HarmReport.objects.count() == 3
    assert EvidenceFile.objects.count() == 11


def test_eleven_files_in_one_anonymous_request_are_a_form_error_that_keeps_the_text() -> None:
    files = [text_upload(f"part{i}.txt") for i in range(MAX_FILES_PER_CASE + 1)]
    response = Client().post(reverse("report_new"), form_data(attachments=files))
    assert response.status_code == 400
    page = response.content.decode()
    assert "You can send up to 10 files with a report. You attached 11" in page
    assert "Someone published my home address and phone number." in page
    assert not HarmReport.objects.exists() and not EvidenceFile.objects.exists()
    with pytest.raises(ReportRefused, match="up to 10 files"):
        report_file(submission=submission(files=files), filed_by=None)
    assert not HarmReport.objects.exists() and not EvidenceFile.objects.exists()


def test_a_refused_file_in_a_report_is_a_form_error_not_a_500() -> None:
    program = SimpleUploadedFile("photo.txt", b"MZ\x90\x00" + b"\x00" * 64)
    response = Client().post(reverse("report_new"), form_data(attachments=[program]))
    assert response.status_code == 400
    assert "Someone published my home address" in response.content.decode()
    assert not HarmReport.objects.exists() and not EvidenceFile.objects.exists()


def test_caps_are_counted_per_draft_and_per_report(make_user: Callable[..., User]) -> None:
    owner = make_user()
    full, empty = (AppealDraft.objects.create(owner=owner, answers={}) for _ in range(2))
    for i in range(MAX_FILES_PER_CASE):
        evidence_add(upload=text_upload(f"{i}.txt"), uploaded_by=owner, draft=full)
    with pytest.raises(EvidenceRefused, match="up to 10 files"):
        evidence_add(upload=text_upload(), uploaded_by=owner, draft=full)
    evidence_add(upload=text_upload(), uploaded_by=owner, draft=empty)
    report = report_file(submission=submission(), filed_by=None).report
    evidence_add(upload=text_upload(), uploaded_by=None, harm_report=report)
    assert EvidenceFile.objects.filter(harm_report=report).count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_sixteen_parallel_uploads_to_one_draft_store_no_more_than_the_cap(
    make_user: Callable[..., User],
) -> None:
    owner = make_user()
    draft = AppealDraft.objects.create(owner=owner, answers={})
    barrier = threading.Barrier(16)
    outcomes: list[str] = []

    def upload(i: int) -> None:
        try:
            barrier.wait()
            evidence_add(
                upload=text_upload(f"{i}.txt"),
                uploaded_by=owner,
                draft=AppealDraft.objects.get(pk=draft.pk),
            )
            outcomes.append("stored")
        except EvidenceRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert EvidenceFile.objects.filter(draft=draft).count() == MAX_FILES_PER_CASE
    assert sorted(outcomes) == ["refused"] * 6 + ["stored"] * MAX_FILES_PER_CASE


# --- (3) Revocation ends every session's access, and is audited -------------------


def test_revoking_the_link_ends_access_for_a_session_that_opened_it_before() -> None:
    report, pin, token = anonymous_report()
    status = reverse("report_status", args=[report.reference])
    abuser = Client()
    abuser.get(reverse("report_track_link", args=[token]))
    assert abuser.get(status).status_code == 200
    victim = Client()
    victim.post(reverse("report_track"), {"reference": report.reference, "pin": pin})
    response = victim.post(reverse("report_revoke_link", args=[report.reference]))
    assert response.status_code == 302 and response["Location"] == status
    assert abuser.get(status).status_code == 404
    assert abuser.post(reverse("report_revoke_link", args=[report.reference])).status_code == 404
    assert victim.get(status).status_code == 200  # the PIN holder keeps following
    events = AuditEvent.objects.filter(harm_report=report, action=AuditAction.REPORT_LINK_REVOKED)
    assert events.count() == 1
    assert events.get().details == {"by_holder_of": "pin"}


def test_revoking_from_the_link_session_itself_sends_it_to_the_pin_page() -> None:
    report, _pin, token = anonymous_report()
    holder = Client()
    holder.get(reverse("report_track_link", args=[token]))
    response = holder.post(reverse("report_revoke_link", args=[report.reference]))
    assert response["Location"] == reverse("report_track")
    assert holder.get(reverse("report_status", args=[report.reference])).status_code == 404
    # Revoking again writes nothing more.
    report.refresh_from_db()
    assert report_services.report_link_revoke(report=report, by=None, via="pin") is False
    assert (
        AuditEvent.objects.filter(
            harm_report=report, action=AuditAction.REPORT_LINK_REVOKED
        ).count()
        == 1
    )


def test_a_changed_or_removed_pin_ends_the_sessions_that_used_the_old_one() -> None:
    report, pin, _token = anonymous_report()
    status = reverse("report_status", args=[report.reference])
    follower = Client()
    follower.post(reverse("report_track"), {"reference": report.reference, "pin": pin})
    assert follower.get(status).status_code == 200
    HarmReport.objects.filter(pk=report.pk).update(pin_hash=make_password("11112222"))
    assert follower.get(status).status_code == 404
    follower.post(reverse("report_track"), {"reference": report.reference, "pin": "11112222"})
    assert follower.get(status).status_code == 200
    HarmReport.objects.filter(pk=report.pk).update(pin_hash="")  # as retention does
    assert follower.get(status).status_code == 404


def test_a_session_from_before_checked_grants_grants_nothing() -> None:
    report, _pin, _token = anonymous_report()
    old = Client()
    session = old.session
    session["tracked_reports"] = [str(report.pk)]
    session.save()
    assert old.get(reverse("report_status", args=[report.reference])).status_code == 404


# --- (4) Files are served under the portal's name --------------------------------


def test_evidence_is_served_as_case_number_and_detected_type_at_every_door(
    appellant: User, reviewer: User
) -> None:
    appeal = file_appeal(appellant)
    first = evidence_add(upload=pdf_upload("letter.pdf"), uploaded_by=appellant, appeal=appeal)
    hta = evidence_add(
        upload=text_upload("invoice.hta", 'CreateObject("WScript.Shell").Run "calc"\r\n'),
        uploaded_by=appellant,
        appeal=appeal,
    )
    assert hta.mime == "text/plain"
    owner = sign_in(Client(), appellant)
    response = owner.get(reverse("evidence_download", args=[appeal.reference, hta.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{appeal.reference}-2.txt"'
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    response = owner.get(reverse("evidence_download", args=[appeal.reference, first.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="{appeal.reference}-1.pdf"'
    staff = sign_in(Client(), reviewer, with_mfa=True)
    response = staff.get(reverse("review_evidence", args=[appeal.reference, hta.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{appeal.reference}-2.txt"'
    assert ".hta" not in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["run.cmd", "run.bat", "page.hta", "a\r\nb.exe"])
def test_the_served_name_never_comes_from_the_upload(appellant: User, name: str) -> None:
    appeal = file_appeal(appellant)
    evidence = evidence_add(upload=text_upload(name), uploaded_by=appellant, appeal=appeal)
    response = sign_in(Client(), appellant).get(
        reverse("evidence_download", args=[appeal.reference, evidence.pk])
    )
    assert response["Content-Disposition"] == f'attachment; filename="{appeal.reference}-1.txt"'


# --- (7) Following with a PIN: atomic counts, a real hour, per client and per case --


@override_settings(PIN_ATTEMPTS_PER_CASE=3, PIN_ATTEMPTS_PER_IP=100)
def test_the_lock_lasts_an_hour_not_the_caches_five_minutes() -> None:
    report, pin, _token = anonymous_report()
    start = timezone.now()
    assert report_by_pin(report.reference, "00000000", client_ip="198.51.100.1", now=start) is None
    assert report_by_pin(report.reference, "00000001", client_ip="198.51.100.2", now=start) is None
    with pytest.raises(FollowLocked) as locked:
        report_by_pin(report.reference, "00000002", client_ip="198.51.100.3", now=start)
    assert locked.value.scope == "case" and locked.value.until == start + timedelta(hours=1)
    for later in (timedelta(minutes=6), timedelta(minutes=59)):
        with pytest.raises(FollowLocked):
            report_by_pin(report.reference, pin, client_ip="198.51.100.4", now=start + later)
    after = start + timedelta(hours=1, seconds=1)
    assert report_by_pin(report.reference, pin, client_ip="198.51.100.4", now=after) == report


@override_settings(PIN_ATTEMPTS_PER_IP=3, PIN_ATTEMPTS_PER_CASE=50)
def test_one_address_cannot_lock_the_victim_out() -> None:
    report, pin, _token = anonymous_report()
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for guess in ("00000000", "00000001", "00000002", "00000003"):
        attacker.post(reverse("report_track"), {"reference": report.reference, "pin": guess})
    response = attacker.post(reverse("report_track"), {"reference": report.reference, "pin": pin})
    assert response.status_code == 429
    assert "Too many PINs have been tried from your connection" in response.content.decode()
    victim = Client(REMOTE_ADDR="198.51.100.20")
    response = victim.post(reverse("report_track"), {"reference": report.reference, "pin": pin})
    assert response.status_code == 302


@override_settings(PIN_ATTEMPTS_PER_IP=3, PIN_ATTEMPTS_PER_CASE=50)
def test_a_victim_who_checks_often_is_never_locked_out_by_their_right_pin() -> None:
    """A shelter's shared connection: right PINs do not use up the address's tries,
    wrong ones still do."""
    report, pin, _token = anonymous_report()
    shelter = Client(REMOTE_ADDR="198.51.100.30")
    for _visit in range(10):
        response = shelter.post(
            reverse("report_track"), {"reference": report.reference, "pin": pin}
        )
        assert response.status_code == 302
    for guess in ("00000000", "00000001", "00000002"):
        shelter.post(reverse("report_track"), {"reference": report.reference, "pin": guess})
    response = shelter.post(reverse("report_track"), {"reference": report.reference, "pin": pin})
    assert response.status_code == 429


@override_settings(PIN_ATTEMPTS_PER_CASE=2, PIN_ATTEMPTS_PER_IP=100)
def test_a_locked_case_is_told_it_is_locked_and_until_when() -> None:
    report, pin, _token = anonymous_report()
    client = Client()
    first = client.post(reverse("report_track"), {"reference": report.reference, "pin": "1"})
    assert first.status_code == 400 and "do not match" in first.content.decode()
    before = timezone.now()
    client.post(reverse("report_track"), {"reference": report.reference, "pin": "2"})
    response = client.post(reverse("report_track"), {"reference": report.reference, "pin": pin})
    page = response.content.decode()
    assert response.status_code == 429
    assert "do not match" not in page
    assert "This case number is locked after too many wrong PINs" in page
    assert "the secret link on your receipt still opens your report" in page
    assert 3500 < int(response["Retry-After"]) <= 3601
    until = timezone.localtime(before + timedelta(hours=1))
    assert f"{until.year}" in page and f"{until.tzname()} (in " in page
    assert "59\xa0minutes" in page or "1\xa0hour" in page


def test_an_unknown_case_number_costs_the_same_pin_check() -> None:
    report, _pin, _token = anonymous_report()
    with mock.patch.object(
        report_selectors, "check_password", wraps=report_selectors.check_password
    ) as spy:
        assert report_by_pin("HRP-NONE-XIST", "12345678", client_ip="192.0.2.1") is None
        assert report_by_pin(report.reference, "12345678", client_ip="192.0.2.1") is None
    assert spy.call_count == 2
    unknown_hash, known_hash = (call.args[1] for call in spy.call_args_list)
    assert unknown_hash.split("$")[0] == known_hash.split("$")[0]  # the same hasher
    # Unknown numbers are counted too, so they cannot be told apart by the limit.
    assert RateCounter.objects.filter(scope="pin-case").count() == 2


def test_counters_keep_no_address_or_case_number() -> None:
    report, _pin, _token = anonymous_report()
    report_by_pin(report.reference, "0", client_ip="203.0.113.77")
    keys = " ".join(RateCounter.objects.values_list("key", flat=True))
    assert "203.0.113.77" not in keys and report.reference not in keys


def test_a_counter_starts_again_after_its_window() -> None:
    now = timezone.now()
    hour = timedelta(hours=1)
    for count in (1, 2):
        attempt = rate_hit(scope="t", value="x", limit=2, window=hour, lock=hour, now=now)
        assert attempt.allowed and attempt.count == count
    assert not rate_hit(scope="t", value="x", limit=2, window=hour, lock=hour, now=now).allowed
    later = now + hour + timedelta(seconds=1)
    attempt = rate_hit(scope="t", value="x", limit=2, window=hour, lock=hour, now=later)
    assert attempt.allowed and attempt.count == 1


def test_the_daily_task_removes_counters_a_day_old() -> None:
    hour = timedelta(hours=1)
    now = timezone.now()
    rate_hit(scope="t", value="old", limit=1, window=hour, lock=hour, now=now - 2 * 24 * hour)
    rate_hit(scope="t", value="new", limit=1, window=hour, lock=hour, now=now)
    assert rate_counters_purge(older_than=24 * hour, now=now) == 1
    assert RateCounter.objects.count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@override_settings(PIN_ATTEMPTS_PER_CASE=10, PIN_ATTEMPTS_PER_IP=100)
def test_thirty_concurrent_tries_with_the_right_pin_let_exactly_the_limit_in() -> None:
    report, pin, _token = anonymous_report()
    barrier = threading.Barrier(30)
    outcomes: list[str] = []

    def attempt(i: int) -> None:
        try:
            barrier.wait()
            found = report_by_pin(report.reference, pin, client_ip=f"198.51.100.{i + 1}")
            outcomes.append("in" if found == report else "no")
        except FollowLocked:
            outcomes.append("locked")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["in"] * 10 + ["locked"] * 20


# --- The client address -------------------------------------------------------------


def test_the_client_address_is_the_socket_unless_a_proxy_header_is_configured() -> None:
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"  # a header anyone can send is not trusted
    with override_settings(CLIENT_IP_HEADER="X-Forwarded-For"):
        request = factory.get(
            "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
        )
        assert client_ip(request) == "198.51.100.7"  # the entry the proxy added
        request = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="not an ip")
        assert client_ip(request) == "10.0.0.5"
    with override_settings(CLIENT_IP_HEADER="X-Real-IP"):
        request = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_REAL_IP="2001:db8::1")
        assert client_ip(request) == "2001:db8::1"
    assert client_bucket("2001:db8:1:2:aaaa::1") == client_bucket("2001:db8:1:2:bbbb::9")
    assert client_bucket("::ffff:198.51.100.7") == "198.51.100.7"


@override_settings(CLIENT_IP_HEADER="X-Real-IP", PIN_ATTEMPTS_PER_IP=1)
def test_the_pin_limit_counts_the_address_the_proxy_gives() -> None:
    report, pin, _token = anonymous_report()
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    proxy.post(
        reverse("report_track"),
        {"reference": report.reference, "pin": "0"},
        HTTP_X_REAL_IP="203.0.113.1",
    )
    other = proxy.post(
        reverse("report_track"),
        {"reference": report.reference, "pin": pin},
        HTTP_X_REAL_IP="203.0.113.2",
    )
    assert other.status_code == 302


# --- (11) Anonymous filing is limited per client address ---------------------------


@override_settings(REPORT_FILINGS_PER_IP=2)
def test_anonymous_filing_is_limited_per_address_with_a_page_that_keeps_the_text(
    make_user: Callable[..., User],
) -> None:
    sender = Client(REMOTE_ADDR="203.0.113.50")
    for _ in range(2):
        assert sender.post(reverse("report_new"), form_data()).status_code == 302
    response = sender.post(
        reverse("report_new"), form_data(explanation="A third post shows my address.")
    )
    page = response.content.decode()
    assert response.status_code == 429
    assert "Many reports have been sent from your connection" in page
    assert 0 < int(response["Retry-After"]) <= 3601
    assert "A third post shows my address." in page
    assert HarmReport.objects.count() == 2
    assert (
        Client(REMOTE_ADDR="203.0.113.51").post(reverse("report_new"), form_data()).status_code
        == 302
    )
    member = sign_in(Client(REMOTE_ADDR="203.0.113.50"), make_user())
    assert member.post(reverse("report_new"), form_data()).status_code == 302


def test_an_invalid_form_is_not_counted_as_a_filing() -> None:
    Client().post(reverse("report_new"), form_data(explanation=""))
    assert not RateCounter.objects.exists()
