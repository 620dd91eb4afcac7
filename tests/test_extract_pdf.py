"""PDF extraction with pypdfium2: text, metadata, ligatures, hyphenation, and unreadable PDFs."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone

import pypdf
import pypdfium2 as pdfium
import pytest

from crawler.demo.pdf import write_pdf
from crawler.exceptions import ExtractionError
from crawler.extract import extract_document, sniff_kind
from crawler.extract.pdf import extract_pdf


def encrypted(pdf: bytes, user_password: str) -> bytes:
    """Return ``pdf`` encrypted with AES-128 by pypdf."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_text_and_metadata_of_a_multi_page_pdf() -> None:
    created = datetime(2024, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    pdf = write_pdf(["Emissions fell by 12 percent.", "Wind output doubled."], "Annual report", author="Ana Ruiz",
                    created=created)  # fmt: skip
    document = extract_document(pdf, "application/pdf", "https://gov.example/report.pdf")
    assert document.outcome == "ok"
    assert document.text == "Emissions fell by 12 percent.\n\nWind output doubled."
    assert (document.title, document.author, document.kind) == ("Annual report", "Ana Ruiz", "pdf")
    assert document.published == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    assert document.extractor.startswith("pypdfium2 ")


def test_ligature_glyphs_are_expanded_and_hyphenated_line_breaks_joined() -> None:
    pdf = write_pdf("The ﬁnal ﬂow of infor-\nmation was signiﬁcant.")
    assert extract_pdf(pdf).text == "The final flow of information was significant."


def test_pdf_is_recognised_by_magic_bytes_whatever_the_header_says() -> None:
    pdf = write_pdf("Found by its magic bytes.")
    assert sniff_kind(pdf, "application/octet-stream") == "pdf"
    assert extract_document(pdf, "text/html").text == "Found by its magic bytes."


def test_hundred_and_twenty_page_pdf_keeps_every_page_in_order() -> None:
    document = extract_pdf(write_pdf([f"Finding {number}." for number in range(1, 121)]))
    assert document.text.split("\n\n") == [f"Finding {number}." for number in range(1, 121)]


def test_pdf_without_a_text_layer_is_empty_with_a_reason() -> None:
    document = extract_document(write_pdf(["", ""]), "application/pdf")
    assert (document.outcome, document.text) == ("empty", "")
    assert document.detail == "PDF has no text layer (2 pages; scanned?)"


def test_truncated_pdf_raises_extraction_error_chained_to_pdfium() -> None:
    pdf = write_pdf(["Some text."] * 5)
    with pytest.raises(ExtractionError, match=r"^truncated PDF: no end-of-file marker after \d+ bytes$") as caught:
        extract_document(pdf[: len(pdf) // 2], "application/pdf")
    assert isinstance(caught.value.__cause__, pdfium.PdfiumError)


def test_encrypted_pdf_raises_extraction_error() -> None:
    pdf = encrypted(write_pdf("Secret findings."), user_password="reader-secret")
    with pytest.raises(ExtractionError, match=r"^encrypted PDF: a password is needed to read its text$"):
        extract_document(pdf, "application/pdf")


def test_pdf_encrypted_only_against_editing_is_still_read() -> None:
    pdf = encrypted(write_pdf("Open to read, locked to edit."), user_password="")
    assert extract_document(pdf, "application/pdf").text == "Open to read, locked to edit."


def test_corrupt_pdf_with_end_marker_raises_one_line_extraction_error() -> None:
    with pytest.raises(ExtractionError, match=r"^corrupt PDF: [^\n]+$"):
        extract_document(b"%PDF-1.4\nnot really a pdf\n%%EOF\n", "application/pdf")


def test_body_declared_pdf_without_pdf_bytes_raises_not_a_pdf() -> None:
    with pytest.raises(ExtractionError, match=r"^not a PDF: no %PDF- header in its first 1024 bytes$"):
        extract_document(b"<html><body>Not found</body></html>", "application/pdf")
