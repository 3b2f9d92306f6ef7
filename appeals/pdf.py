"""Rendering letters to signed PDF/A.

WeasyPrint may fetch only the project's own static assets, through
``PortalAssetFetcher``: no network, no local files, no ``data:`` URLs, so text an
appellant typed can never make the renderer reach out. Signatures are PAdES,
made with pyHanko using the key and certificate named in the settings.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import mimetypes
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

# WeasyPrint is imported here, not lazily: the fetcher subclasses its URLFetcher.
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSET_SCHEME = "portal-asset:"
RENDER_TIME_LIMIT_SECONDS = 60


class RenderTimeout(Exception):
    pass


class PortalAssetFetcher(URLFetcher):
    """Serves ``portal-asset:<path>`` from the project's static folder; refuses the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=["portal-asset"], fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if not url.startswith(ASSET_SCHEME):
            self.refused.append(url)
            raise ValueError(f"Letters load nothing from outside the portal: {url[:80]}")
        root = (Path(settings.BASE_DIR) / "static").resolve()
        path = (root / url.removeprefix(ASSET_SCHEME)).resolve()
        if root not in path.parents or not path.is_file():
            self.refused.append(url)
            raise ValueError(f"Not a portal asset: {url[:80]}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Stop a runaway render. Signals work only in the main thread (workers' tasks
    run there); elsewhere django-q2's task timeout is the limit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise RenderTimeout(f"rendering took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_pdf(html: str, *, fetcher: PortalAssetFetcher | None = None) -> bytes:
    """HTML (already escaped by the template engine) to a tagged PDF/A-3b."""
    fetcher = fetcher or PortalAssetFetcher()
    with _time_limit(RENDER_TIME_LIMIT_SECONDS):
        document = HTML(string=html, base_url=ASSET_SCHEME, url_fetcher=fetcher)
        return bytes(document.write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True))


# --- Signing ------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningFiles:
    key: Path
    certificate: Path


def self_signed_certificate(key: Any, name: Any, *, days: int) -> Any:
    """A self-signed certificate for a letter-signing key (RSA or EC)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )


def _generate_development_credentials(folder: Path) -> SigningFiles:
    """A self-signed certificate for development and demos, never for production."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    folder.mkdir(parents=True, exist_ok=True)
    files = SigningFiles(folder / "letter-signing-key.pem", folder / "letter-signing-cert.pem")
    if files.key.exists() and files.certificate.exists():
        return files
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Redress portal"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Redress portal letters (development only)"),
        ]
    )
    certificate = self_signed_certificate(key, name, days=3650)
    tmp_key = files.key.with_suffix(".tmp")
    tmp_key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    tmp_key.chmod(0o600)
    tmp_cert = files.certificate.with_suffix(".tmp")
    tmp_cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    # Renames are atomic: two processes starting at once end with one matching pair.
    tmp_key.replace(files.key)
    tmp_cert.replace(files.certificate)
    return files


def signing_files() -> SigningFiles:
    if settings.LETTER_SIGNING_KEY_FILE and settings.LETTER_SIGNING_CERT_FILE:
        return SigningFiles(
            Path(settings.LETTER_SIGNING_KEY_FILE), Path(settings.LETTER_SIGNING_CERT_FILE)
        )
    return _generate_development_credentials(Path(settings.VAR_DIR) / "signing")


@lru_cache(maxsize=1)
def _signer(key: str, certificate: str, passphrase: str) -> object:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class KeptKeySigner(signers.SimpleSigner):
        """pyHanko's SimpleSigner parses its private key again for every signature:
        about 90 ms for an RSA key here, twice per letter (make bench). This one
        keeps the parsed key for the life of the process, for the two mechanisms
        letters use, and leaves any other to pyHanko."""

        parsed_key: Any = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            if self.parsed_key is None:
                self.parsed_key = serialization.load_der_private_key(
                    self.signing_key.dump(), password=None
                )
            algorithm = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                mechanism = algorithm.signature_algo
            except ValueError:
                mechanism = algorithm["algorithm"].native
            hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
            if mechanism == "rsassa_pkcs1v15" and isinstance(self.parsed_key, rsa.RSAPrivateKey):
                return self.parsed_key.sign(data, PKCS1v15(), hash_algorithm)
            if mechanism == "ecdsa" and isinstance(self.parsed_key, ec.EllipticCurvePrivateKey):
                return self.parsed_key.sign(data, ec.ECDSA(hash_algorithm))
            return bytes(super().sign_raw(data, digest_algorithm))

    loaded = signers.SimpleSigner.load(
        key, certificate, key_passphrase=passphrase.encode() if passphrase else None
    )
    if loaded is None:
        raise ValueError("The letter signing key or certificate could not be read.")
    return KeptKeySigner(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
    )


def sign_pdf(pdf: bytes, *, reason: str) -> bytes:
    """Add a PAdES signature in an incremental update (PDF/A-3 allows it).

    pyHanko runs its own event loop; if this thread already has one running
    (an async caller), the signing runs in a short-lived thread instead.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _sign(pdf, reason)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_sign, pdf, reason).result()


def _sign(pdf: bytes, reason: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    files = signing_files()
    signer = _signer(str(files.key), str(files.certificate), settings.LETTER_SIGNING_KEY_PASSPHRASE)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name="PortalSignature",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
    )
    output = signers.sign_pdf(writer, metadata, signer=signer)  # type: ignore[arg-type]
    return bytes(output.getvalue())


def signing_certificate_der() -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    pem = signing_files().certificate.read_bytes()
    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
