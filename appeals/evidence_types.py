"""Decide whether an uploaded evidence file is acceptable, by its content.

Evidence may be a PDF, a PNG or JPEG picture, or a plain UTF-8 text file.
The type is worked out from the bytes of the file only: its name and the
content type the browser declared are never trusted (the name appears in
messages, nothing more).

Everything here is pure: no database, no storage. The caller passes the
first 8 KiB of the upload (``head``), its total size and a seekable binary
stream of the whole upload; the stream is always left at position 0.

A refused file raises :class:`EvidenceRefused`, whose ``message`` is a
translatable, plain-language reason saying why the file was refused and what
is accepted instead.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import re
import threading
import typing
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile

from appeals.errors import Refused

MAX_EVIDENCE_BYTES: int = 10 * 1024 * 1024  # 10 MiB per file
MAX_IMAGE_PIXELS: int = 40_000_000  # decompression-bomb guard

_MEBIBYTE = 1024 * 1024
_CHUNK_BYTES = 64 * 1024
_PDF_TAIL_BYTES = 2 * 1024
_MAX_NAME_CHARS = 80

_PDF_MAGIC = b"%PDF-"
_PDF_END = b"%%EOF"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_UTF8_BOM = codecs.BOM_UTF8

_ZIP_LOCAL_HEADER = b"PK\x03\x04"
# Any of these near the end of a file means a ZIP reader would open it.
_ZIP_TAIL_MARKERS = (_ZIP_LOCAL_HEADER, b"PK\x01\x02", b"PK\x05\x06")
_PROGRAM_MAGICS = (b"MZ", b"\x7fELF")
_SCRIPT_MAGIC = b"#!"
# Tags that, in the head of a PDF, betray a file that is also a web page.
_PDF_POLYGLOT_TAGS = (b"<html", b"<script")

# Markup a browser would render (or run) if it ever sniffed the file: the
# brief's list, then the WHATWG MIME-sniffing HTML patterns, which only count
# when followed by a space or ">".
_MARKUP_PREFIXES = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<!--")
_SNIFFED_HTML_TAGS = (
    b"<head",
    b"<body",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<br",
    b"<p",
)
_TAG_TERMINATOR_BYTES = frozenset(bytes([byte]) for byte in b" \t\n\x0c\r>/")
_LEADING_WHITESPACE = b" \t\n\x0c\r"

# Control characters plain text may not contain: all of C0 except tab (09),
# line feed (0A), form feed (0C) and carriage return (0D). NUL is included.
_FORBIDDEN_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")

_IMAGE_FORMATS: dict[str, frozenset[str]] = {
    # Pillow reports multi-picture JPEGs from phones as "MPO".
    "JPEG": frozenset({"JPEG", "MPO"}),
    "PNG": frozenset({"PNG"}),
}


@dataclass(frozen=True)
class DetectedType:
    """An accepted evidence type, as worked out from the file's content."""

    mime: str  # "application/pdf", "image/png", "image/jpeg" or "text/plain"
    extension: str  # "pdf", "png", "jpg" or "txt"


_PDF = DetectedType(mime="application/pdf", extension="pdf")
_PNG = DetectedType(mime="image/png", extension="png")
_JPEG = DetectedType(mime="image/jpeg", extension="jpg")
_TEXT = DetectedType(mime="text/plain", extension="txt")
_BY_MIME = {kind.mime: kind for kind in (_PDF, _PNG, _JPEG, _TEXT)}


def served_type(mime: str) -> DetectedType:
    """The type a stored file is served as: the one detected when it was accepted
    (its ``mime``), or opaque bytes for anything else."""
    return _BY_MIME.get(mime, DetectedType(mime="application/octet-stream", extension="bin"))


class EvidenceRefused(Refused):
    """An uploaded file is not acceptable evidence; ``message`` says why."""


def _interpolate(template: object, params: dict[str, object]) -> str:
    return str(template) % params


# Interpolates when the message is displayed, so it is translated into the
# language active then rather than the one active when the file was checked.
_lazy_interpolate = lazy(_interpolate, str)

_EMPTY = _(
    "“%(name)s” is empty. Send a PDF, a PNG or JPEG picture, or a plain text file "
    "that has something in it."
)
_TOO_LARGE = _(
    "“%(name)s” is larger than %(limit)d MB, the most we accept for one file. "
    "Send a smaller PDF, PNG or JPEG picture, or plain text file: for example, split a "
    "long document into parts or save a picture at a lower resolution."
)
_NOT_ALLOWED = _(
    "“%(name)s” is not a PDF, PNG, JPEG or plain text file, whatever its name says. "
    "Send a PDF, a PNG or JPEG picture, or a plain text file."
)
_PROGRAM = _(
    "“%(name)s” is a program or a script, not a PDF, PNG, JPEG or plain text file, "
    "whatever its name says, so it cannot be accepted. "
    "Send a PDF, a PNG or JPEG picture, or a plain text file."
)
_ARCHIVE = _(
    "“%(name)s” is a ZIP archive or a document that is stored like one (such as a Word, "
    "Excel or OpenDocument file), not a PDF, PNG, JPEG or plain text file, whatever its "
    "name says. Send each file on its own, and save documents as PDF first. "
    "We accept a PDF, a PNG or JPEG picture, or a plain text file."
)
_OTHER_PICTURE = _(
    "“%(name)s” is a picture in a format we cannot accept (such as GIF, WebP, HEIC, TIFF "
    "or BMP). Save or export it as a PNG or JPEG picture, or as a PDF, and send that."
)
_MARKUP = _(
    "“%(name)s” looks like a web page or an SVG drawing. Web pages and SVG drawings cannot "
    "be accepted, because they can contain code that runs in a web browser. Save the page "
    "or drawing as a PDF or a PNG picture, or send its text as a plain text file."
)
_POLYGLOT = _(
    "“%(name)s” looks like more than one kind of file at once (for example a PDF or a "
    "picture with a ZIP archive or a web page hidden inside it), so it cannot be accepted "
    "safely. Save or export it again as a PDF, a PNG or JPEG picture, or a plain text "
    "file, and send the new file."
)
_DAMAGED_PDF = _(
    "“%(name)s” starts like a PDF but is damaged or incomplete: its end is missing. "
    "Save or export the PDF again and send the new file, or send a PNG or JPEG picture, "
    "or a plain text file."
)
_DAMAGED_IMAGE = _(
    "“%(name)s” is not a complete, readable PNG or JPEG picture: it may be damaged or cut "
    "short. Open it and save it again as PNG or JPEG, or send a PDF or a plain text file."
)
_TOO_MANY_PIXELS = _(
    "“%(name)s” is a picture of more than %(megapixels)d million pixels, too large to be "
    "checked safely. Send a smaller version of the picture as PNG or JPEG (for example, "
    "resize it or take a screenshot), or send a PDF."
)
_NOT_UTF8 = _(
    "“%(name)s” seems to be a text file, but it is not saved as UTF-8, the text encoding "
    "we accept. Save it again choosing the UTF-8 encoding (most editors offer this under "
    "“Save as”), or send it as a PDF."
)


def _refuse(template: object, name: str, **params: object) -> EvidenceRefused:
    return EvidenceRefused(_lazy_interpolate(template, {"name": _display_name(name), **params}))


def _display_name(name: str) -> str:
    """The file name as shown in messages: visible characters only, at most 80."""
    # Invisible and control characters (such as a right-to-left override that
    # makes "gpj.exe" display as "exe.jpg") are shown as a replacement mark.
    shown = "".join(char if char.isprintable() else "\ufffd" for char in name).strip()
    if len(shown) > _MAX_NAME_CHARS:
        shown = shown[: _MAX_NAME_CHARS - 1] + "…"
    return shown


def detect_evidence_type(
    *, name: str, head: bytes, size: int, stream: typing.BinaryIO
) -> DetectedType:
    """Return the type of an uploaded evidence file, or raise EvidenceRefused.

    ``head`` is the first 8 KiB of the file, ``size`` its total size in bytes and
    ``stream`` a seekable binary stream of the whole file. ``name`` is used only
    in messages. The stream is left at position 0, whether or not the file is
    accepted.
    """
    if size <= 0 or not head:
        raise _refuse(_EMPTY, name)
    if size > MAX_EVIDENCE_BYTES:
        raise _refuse(_TOO_LARGE, name, limit=MAX_EVIDENCE_BYTES // _MEBIBYTE)
    try:
        return _detect(name=name, head=head, stream=stream)
    finally:
        stream.seek(0)


def _detect(*, name: str, head: bytes, stream: typing.BinaryIO) -> DetectedType:
    _refuse_dangerous_signatures(name, head)
    if head.startswith(_PDF_MAGIC):
        _check_pdf(name, head, stream)
        return _PDF
    if head.startswith(_PNG_MAGIC):
        _check_image(name, stream, expected_format="PNG")
        return _PNG
    if head.startswith(_JPEG_MAGIC):
        _check_image(name, stream, expected_format="JPEG")
        return _JPEG
    if _is_other_picture(head):
        raise _refuse(_OTHER_PICTURE, name)
    _check_text(name, head, stream)
    return _TEXT


def _refuse_dangerous_signatures(name: str, head: bytes) -> None:
    is_script = head.removeprefix(_UTF8_BOM).startswith(_SCRIPT_MAGIC)
    if head.startswith(_PROGRAM_MAGICS) or is_script:
        raise _refuse(_PROGRAM, name)
    if head.startswith(_ZIP_LOCAL_HEADER):
        raise _refuse(_ARCHIVE, name)


def _is_other_picture(head: bytes) -> bool:
    """Common picture formats we refuse, recognised only to give better advice."""
    return (
        head.startswith((b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*"))
        or (head.startswith(b"RIFF") and head[8:12] == b"WEBP")
        or (head[4:8] == b"ftyp" and head[8:12] in {b"heic", b"heix", b"mif1", b"avif"})
        or (head.startswith(b"BM") and head[6:10] == b"\x00\x00\x00\x00")
    )


# --- PDF -----------------------------------------------------------------


def _check_pdf(name: str, head: bytes, stream: typing.BinaryIO) -> None:
    lowered = head.lower()
    if _ZIP_LOCAL_HEADER in head or any(tag in lowered for tag in _PDF_POLYGLOT_TAGS):
        raise _refuse(_POLYGLOT, name)
    end = stream.seek(0, io.SEEK_END)
    if end > MAX_EVIDENCE_BYTES:  # longer than the declared size
        raise _refuse(_TOO_LARGE, name, limit=MAX_EVIDENCE_BYTES // _MEBIBYTE)
    stream.seek(max(0, end - _PDF_TAIL_BYTES))
    tail = stream.read(_PDF_TAIL_BYTES)
    if any(marker in tail for marker in _ZIP_TAIL_MARKERS):
        raise _refuse(_POLYGLOT, name)
    if _PDF_END not in tail:
        raise _refuse(_DAMAGED_PDF, name)


# --- PNG and JPEG --------------------------------------------------------


# WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES to True when it is
# imported; a cut-short picture would then decode "successfully". Checks hold the
# flag off for their duration (the lock keeps concurrent checks from racing).
_TRUNCATION_LOCK = threading.Lock()


@contextlib.contextmanager
def _strict_decoding() -> typing.Iterator[None]:
    with _TRUNCATION_LOCK:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _check_image(name: str, stream: typing.BinaryIO, *, expected_format: str) -> None:
    with _strict_decoding():
        _check_image_strictly(name, stream, expected_format=expected_format)


def _check_image_strictly(name: str, stream: typing.BinaryIO, *, expected_format: str) -> None:
    if _has_zip_directory_at_end(name, stream):
        raise _refuse(_POLYGLOT, name)
    accepted_formats = _IMAGE_FORMATS[expected_format]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            stream.seek(0)
            with Image.open(stream, formats=[expected_format]) as image:
                if image.format not in accepted_formats:
                    raise _refuse(_DAMAGED_IMAGE, name)
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise _refuse(_TOO_MANY_PIXELS, name, megapixels=_megapixels())
                image.verify()
            if expected_format == "JPEG":
                _decode_jpeg_reduced(stream)
        except EvidenceRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _refuse(_TOO_MANY_PIXELS, name, megapixels=_megapixels()) from error
        except Exception as error:  # any other Pillow error: not a real picture
            raise _refuse(_DAMAGED_IMAGE, name) from error


def _decode_jpeg_reduced(stream: typing.BinaryIO) -> None:
    """Decode the whole JPEG at 1/8 scale, so a damaged or cut-short one fails.

    Pillow's ``verify()`` checks nothing for JPEG; decoding at reduced scale
    reads every byte of the compressed data with little memory.
    """
    stream.seek(0)
    with Image.open(stream, formats=["JPEG"]) as image:
        image.draft(None, (1, 1))
        image.load()


def _megapixels() -> int:
    return MAX_IMAGE_PIXELS // 1_000_000


# --- Plain text ----------------------------------------------------------


def _check_text(name: str, head: bytes, stream: typing.BinaryIO) -> None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _refuse(_NOT_UTF8, name)
    if _looks_like_markup(head):
        raise _refuse(_MARKUP, name)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    valid_utf8 = True
    for chunk in _chunks(name, stream):
        if _FORBIDDEN_CONTROL.search(chunk):
            raise _refuse(_NOT_ALLOWED, name)
        if valid_utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                # Keep reading: binary data later on gets the more general message.
                valid_utf8 = False
    if valid_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid_utf8 = False
    if not valid_utf8:
        raise _refuse(_NOT_UTF8, name)


def _looks_like_markup(head: bytes) -> bool:
    start = head.removeprefix(_UTF8_BOM).lstrip(_LEADING_WHITESPACE).lower()
    if start.startswith(_MARKUP_PREFIXES):
        return True
    return any(
        start.startswith(tag) and start[len(tag) : len(tag) + 1] in _TAG_TERMINATOR_BYTES
        for tag in _SNIFFED_HTML_TAGS
    )


# --- Streams -------------------------------------------------------------


def _chunks(name: str, stream: typing.BinaryIO) -> Iterator[bytes]:
    """The stream from the start, in bounded chunks; refuses it past the size limit."""
    stream.seek(0)
    total = 0
    while chunk := stream.read(_CHUNK_BYTES):
        total += len(chunk)
        if total > MAX_EVIDENCE_BYTES:
            raise _refuse(_TOO_LARGE, name, limit=MAX_EVIDENCE_BYTES // _MEBIBYTE)
        yield chunk


# A ZIP archive must end with its end-of-central-directory record, within the
# last 22 bytes plus a comment of at most 65,535 bytes.
_ZIP_EOCD = b"PK\x05\x06"
_ZIP_EOCD_WINDOW = 22 + 65_535


def _has_zip_directory_at_end(name: str, stream: typing.BinaryIO) -> bool:
    """Whether an archive is appended to the file (a picture/ZIP polyglot).

    Only the tail is searched: scanning all of a compressed picture for a
    four-byte signature would refuse about one real 10 MB photo in 500 by chance;
    the tail window makes that about one in 65,000.
    """
    end = stream.seek(0, io.SEEK_END)
    if end > MAX_EVIDENCE_BYTES:
        raise _refuse(_TOO_LARGE, name, limit=MAX_EVIDENCE_BYTES // _MEBIBYTE)
    stream.seek(max(0, end - _ZIP_EOCD_WINDOW))
    tail = stream.read(_ZIP_EOCD_WINDOW)
    stream.seek(0)
    return _ZIP_EOCD in tail
