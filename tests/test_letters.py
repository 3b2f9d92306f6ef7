from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Callable, Iterator

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from appeals.models import Appeal, Letter, OutOfCourtBody, User
from appeals.pdf import PortalAssetFetcher, render_pdf, signing_certificate_der
from appeals.services.decisions import appeal_decide
from appeals.services.letters import letter_render, letter_request, letters_supersede
from tests.conftest import sign_in
from tests.factories import claimed_appeal, decision_input, germany

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def decided(appellant: User, reviewer: User, *, language: str = "en", **decision: object) -> Letter:
    body = OutOfCourtBody.objects.create(
        name="Appeals Centre Europe", website="https://ace.example/"
    )
    body.jurisdictions.add(germany())
    appeal = claimed_appeal(appellant, reviewer, language=language)
    appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input(**decision))
    letter = Letter.objects.get(appeal=appeal, kind=Letter.Kind.DECISION)
    assert letter_render(letter_id=str(letter.pk)) is True
    letter.refresh_from_db()
    return letter


def test_a_decision_letter_holds_what_the_law_requires(appellant: User, reviewer: User) -> None:
    letter = decided(appellant, reviewer)
    text = pdf_text(letter.file.read())
    for expected in (
        letter.appeal.reference,
        letter.verification_code,
        "The platform’s decision is reversed",
        "The post is satire and breaks no rule.",
        "Community rules, section 3, read with the satire exception.",
        "Appeals Centre Europe",
        "90 days",
        "Put the content back",
        "No automated means were used",
        "reviewer-x@example.org",  # who decided (no full name given)
    ):
        assert expected in text, expected
    assert "Checked with the policy team." not in text  # the internal note stays internal


def test_the_letter_is_in_the_appellants_language(appellant: User, reviewer: User) -> None:
    letter = decided(appellant, reviewer, language="fr")
    with translation.override("fr"):
        heading = gettext("Decision on your appeal")
        redress = gettext("What you can do next")
    assert heading != "Decision on your appeal"
    text = pdf_text(letter.file.read())
    assert heading in text and redress in text


def test_the_letter_is_pdf_a_and_its_signature_validates(appellant: User, reviewer: User) -> None:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    data = decided(appellant, reviewer).file.read()
    xmp = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp

    trust = ValidationContext(trust_roots=[asn1_x509.Certificate.load(signing_certificate_der())])
    status = validate_pdf_signature(PdfFileReader(io.BytesIO(data)).embedded_signatures[0], trust)
    assert status.intact and status.valid and status.bottom_line

    tampered = bytearray(data)
    tampered[len(data) // 3] ^= 0x01
    try:
        reader = PdfFileReader(io.BytesIO(bytes(tampered)))
        intact = validate_pdf_signature(reader.embedded_signatures[0], trust).bottom_line
    except Exception:  # a file too damaged to read fails verification too
        intact = False
    assert not intact


def test_rendering_twice_keeps_one_letter(appellant: User, reviewer: User) -> None:
    letter = decided(appellant, reviewer)
    first = (letter.file.name, letter.sha256)
    assert letter_render(letter_id=str(letter.pk)) is False
    assert (
        letter_request(
            appeal=letter.appeal, kind=Letter.Kind.DECISION, subject_key=letter.subject_key
        )
        == letter
    )
    letter.refresh_from_db()
    assert (letter.file.name, letter.sha256) == first
    assert Letter.objects.filter(appeal=letter.appeal, kind=Letter.Kind.DECISION).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_issue_one_letter(make_user: Callable[..., User]) -> None:
    from appeals.roles import Role

    appellant = make_user("two-workers@example.org")
    reviewer = make_user("rev-two@example.org", roles=(Role.REVIEWER,), mfa=True)
    appeal = claimed_appeal(appellant, reviewer)
    # Created directly: letter_request would render it at once in this in-process setup.
    letter = Letter.objects.create(
        appeal=appeal, kind=Letter.Kind.ACKNOWLEDGEMENT, subject_key="race", language="en"
    )
    results: list[bool] = []
    barrier = threading.Barrier(2)

    def work() -> None:
        try:
            barrier.wait()
            results.append(letter_render(letter_id=str(letter.pk)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(results) == [False, True]
    letter.refresh_from_db()
    folder = letter.file.storage.path(letter.file.name).rsplit("/", 1)[0]
    import os

    assert [n for n in os.listdir(folder) if n.startswith(letter.pk.hex)] == [
        letter.file.name.rsplit("/", 1)[1]
    ]


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        _CountingHandler.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"x")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[int]:
    _CountingHandler.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def test_hostile_text_is_shown_literally_and_fetches_nothing(
    appellant: User, reviewer: User, listener: int
) -> None:
    hostile = (
        f'<img src="http://127.0.0.1:{listener}/x"> '
        "<link rel=stylesheet href=file:///etc/passwd> "
        f"<style>@import url(http://127.0.0.1:{listener}/y.css);</style> file:///etc/passwd"
    )
    letter = decided(appellant, reviewer, reasons=hostile, basis=hostile)
    text = pdf_text(letter.file.read())
    assert f'<img src="http://127.0.0.1:{listener}/x">' in text
    assert "@import url(" in text
    assert "root:x:0:0" not in text
    assert _CountingHandler.hits == []


def test_the_asset_fetcher_refuses_everything_but_portal_assets(listener: int) -> None:
    fetcher = PortalAssetFetcher()
    for url in (
        f"http://127.0.0.1:{listener}/x",
        "file:///etc/passwd",
        "data:text/css,body{}",
        "portal-asset:../portal/settings.py",
        "portal-asset:/etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("portal-asset:css/letter.css").read().startswith(b"/*")
    # Even a document that asks for outside resources gets none of them.
    html = (
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{listener}/s.css"></head>'
        f'<body><img src="http://127.0.0.1:{listener}/i.png"><img src="file:///etc/passwd">'
        "</body></html>"
    )
    render_pdf(html, fetcher=fetcher)
    assert _CountingHandler.hits == []
    assert any(u.startswith("http://127.0.0.1") for u in fetcher.refused)


def test_a_failed_render_is_recorded_and_keeps_the_decision(
    appellant: User, reviewer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    letter = Letter.objects.get(appeal=appeal, kind=Letter.Kind.DECISION)

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("font cache unavailable")

    monkeypatch.setattr("appeals.services.letters.render_pdf", broken)
    with pytest.raises(RuntimeError):
        letter_render(letter_id=str(letter.pk))
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PENDING and letter.attempts == 1
    assert "font cache unavailable" in letter.last_error
    assert Appeal.objects.get(pk=appeal.pk).current_decision().reasons


def test_the_verification_page_answers_authentic_superseded_and_unknown(
    client: Client, appellant: User, reviewer: User
) -> None:
    letter = decided(appellant, reviewer)
    url = reverse("letter_verify")
    page = client.get(url, {"code": letter.verification_code.lower().replace("-", " ")})
    html = page.content.decode()
    assert "This letter is genuine and valid" in html and letter.appeal.reference in html
    assert appellant.email not in html and "satire" not in html

    upload = SimpleUploadedFile("letter.pdf", letter.file.read(), "application/pdf")
    assert "genuine and valid" in client.post(url, {"letter": upload}).content.decode()
    changed = bytearray(letter.file.open("rb").read())
    changed[100] ^= 1
    upload = SimpleUploadedFile("letter.pdf", bytes(changed), "application/pdf")
    assert "We have no letter that matches" in client.post(url, {"letter": upload}).content.decode()

    letters_supersede(decision=letter.decision)
    html = client.get(url, {"code": letter.verification_code}).content.decode()
    assert "no longer valid" in html

    assert (
        "We have no letter that matches"
        in client.get(url, {"code": "AAAA-BBBB-CCCC"}).content.decode()
    )
    assert client.get(url, {"code": ""}).status_code == 400


def test_the_case_page_offers_the_letter_only_to_its_owner(
    client: Client, appellant: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    letter = decided(appellant, reviewer)
    page = sign_in(client, appellant).get(reverse("appeal_detail", args=[letter.appeal.reference]))
    download = reverse("letter_download", args=[letter.appeal.reference, letter.pk])
    assert download in page.content.decode()
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    other = sign_in(Client(), make_user("stranger@example.org"))
    assert other.get(download).status_code == 404


def test_a_pending_letter_says_it_is_being_prepared(
    client: Client, appellant: User, reviewer: User
) -> None:
    appeal = claimed_appeal(appellant, reviewer)
    appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    page = sign_in(client, appellant).get(reverse("appeal_detail", args=[appeal.reference]))
    assert "being prepared" in page.content.decode()
