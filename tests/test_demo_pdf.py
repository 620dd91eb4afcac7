"""The demo PDF writer produces valid PDFs that pypdfium2 and pypdf read exactly, without warnings."""

from __future__ import annotations

import io
import logging
import re
from datetime import UTC, datetime

import pypdf
import pypdfium2 as pdfium
import pytest

from crawler.demo.pdf import LINES_PER_PAGE, WRAP_COLUMNS, write_pdf


def pdfium_pages(pdf: bytes) -> list[str]:
    """Return each page's raw text as PDFium reads it."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in document]
    finally:
        document.close()


def test_xref_offsets_point_at_their_objects() -> None:
    pdf = write_pdf(["first page", "second page"], title="Offsets")
    xref_at = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf).group(1))
    assert pdf[xref_at:].startswith(b"xref\n0 ")
    entries = re.findall(rb"(\d{10}) 00000 n \n", pdf[xref_at:])
    assert entries
    for number, offset in enumerate(entries, start=1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj\n" % number)


def test_pypdf_strict_reads_pages_and_title_without_warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    pdf = write_pdf(["Emissions fell by 12 percent.", "Page two."], title="Annual report")
    reader = pypdf.PdfReader(io.BytesIO(pdf), strict=True)
    assert [page.extract_text().strip() for page in reader.pages] == ["Emissions fell by 12 percent.", "Page two."]
    assert reader.metadata.title == "Annual report"
    assert caplog.records == []


def test_pdfium_reads_the_exact_text_with_escaped_delimiters_and_cp1252_characters() -> None:
    text = r"Costs (in €) rose – a “record” \ said the café"
    assert pdfium_pages(write_pdf(text)) == [text]


def test_characters_outside_winansi_become_question_marks() -> None:
    assert pdfium_pages(write_pdf("Tokyo 東京")) == ["Tokyo ??"]


def test_long_lines_are_wrapped_at_word_boundaries() -> None:
    sentence = "The agency reported that renewable capacity grew again this year. " * 6
    [page_text] = pdfium_pages(write_pdf(sentence))
    lines = page_text.split("\n")
    assert len(lines) > 1
    assert all(len(line) <= WRAP_COLUMNS for line in lines)
    assert " ".join(lines) == sentence.strip()


def test_overlong_page_continues_on_a_new_page() -> None:
    lines = [f"line {number}" for number in range(LINES_PER_PAGE + 5)]
    pages = pdfium_pages(write_pdf("\n".join(lines)))
    assert len(pages) == 2
    assert pages[1].split("\n") == lines[LINES_PER_PAGE:]


def test_metadata_title_author_and_creation_date() -> None:
    pdf = write_pdf("x", title="Réseau électrique", author="Ana Ruiz", created=datetime(2024, 3, 1, 9, 30, tzinfo=UTC))
    document = pdfium.PdfDocument(pdf)
    metadata = document.get_metadata_dict()
    document.close()
    assert (metadata["Title"], metadata["Author"]) == ("Réseau électrique", "Ana Ruiz")
    assert metadata["CreationDate"] == "D:20240301093000+00'00'"


def test_hundred_page_document_has_every_page() -> None:
    pdf = write_pdf([f"Page {number} of the report." for number in range(1, 121)])
    pages = pdfium_pages(pdf)
    assert len(pages) == 120
    assert pages[-1] == "Page 120 of the report."
