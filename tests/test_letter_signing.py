"""The letter signer: the private key is parsed once per process, and both RSA and
elliptic-curve keys (a production key may be either) give signatures that validate."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from appeals import pdf

HTML = "<html><body><h1>Decision</h1><p>Your appeal is upheld.</p></body></html>"


@pytest.fixture(autouse=True)
def _fresh_signer() -> Any:
    pdf._signer.cache_clear()
    yield
    pdf._signer.cache_clear()


def _validates(signed: bytes, certificate_der: bytes) -> bool:
    def validate() -> bool:
        trust = ValidationContext(trust_roots=[asn1_x509.Certificate.load(certificate_der)])
        signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
        return bool(validate_pdf_signature(signature, trust).bottom_line)

    # pyHanko runs its own event loop; the browser tests leave Playwright's running
    # in this thread for the rest of the session.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(validate).result()


def test_the_key_is_parsed_once_for_many_letters(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = {"count": 0}
    original = serialization.load_der_private_key

    def counting(*args: Any, **kwargs: Any) -> Any:
        parsed["count"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(serialization, "load_der_private_key", counting)
    document = pdf.render_pdf(HTML)
    letters = [pdf.sign_pdf(document, reason="Decision") for _ in range(3)]
    assert parsed["count"] == 1
    assert all(_validates(letter, pdf.signing_certificate_der()) for letter in letters)


def test_an_elliptic_curve_key_signs_letters_that_validate(tmp_path: Path, settings: Any) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Redress portal (EC test)")])
    certificate = pdf.self_signed_certificate(key, name, days=30)
    key_file, cert_file = tmp_path / "key.pem", tmp_path / "cert.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    settings.LETTER_SIGNING_KEY_FILE = str(key_file)
    settings.LETTER_SIGNING_CERT_FILE = str(cert_file)

    signed = pdf.sign_pdf(pdf.render_pdf(HTML), reason="Decision")
    assert _validates(signed, certificate.public_bytes(serialization.Encoding.DER))
