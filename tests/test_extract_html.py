"""HTML extraction through the trafilatura wrapper, and dispatch of any body to the right extractor."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import UTC, datetime
from pathlib import Path

import pytest
import trafilatura.settings
from trafilatura import bare_extraction

import crawler.extract
import crawler.extract.html
from crawler.extract import Document, extract_document, sniff_kind
from crawler.extract.html import NO_TEXT, html_document

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
JOURNAL = (FIXTURES / "journal-article.html").read_bytes()
PARAGRAPH = "The ministry said that housing completions rose by 8 percent in the year to March. "


def test_journal_article_text_keeps_the_body_and_metadata() -> None:
    document = extract_document(JOURNAL, "text/html; charset=utf-8", "https://journal.example/heat-pumps")
    assert (document.outcome, document.kind, document.detail) == ("ok", "html", None)
    assert "increase the evening peak by only 0.4 kW per household on average [1]." in document.text
    assert "Transformers serving more than 60 percent poorly insulated stock" in document.text
    assert document.title == "Heat pumps and winter peak demand"
    assert document.author == "Maria Okafor"
    assert document.published == datetime(2023, 9, 14, tzinfo=UTC)
    assert document.extractor.startswith("trafilatura ")


@pytest.mark.parametrize(
    "boilerplate",
    [
        "Okafor M. Peak demand in electrified homes",  # reference list
        "References",
        "Figure 1. Distribution of household evening peak",  # figure caption
        "We use cookies",  # cookie banner
        "Related articles",
        "District heating in cold climates",  # related link
        "All rights reserved",  # footer
    ],
)
def test_journal_article_text_drops_boilerplate(boilerplate: str) -> None:
    assert boilerplate not in extract_document(JOURNAL, "text/html").text


def test_reference_list_under_a_plain_heading_is_dropped() -> None:
    references = "<h2>References</h2><ol><li>Smith J. Housing. 2020.</li></ol>"
    html = f"<html><body><div><p>{PARAGRAPH * 3}</p>{references}</div></body></html>"
    text = extract_document(html.encode(), "text/html").text
    assert "housing completions rose by 8 percent" in text
    assert "Smith J." not in text


def test_wrapper_whose_class_mentions_cookies_keeps_the_article() -> None:
    html = f'<html><body><div class="page cookie-consent-given"><p>{PARAGRAPH * 3}</p></div></body></html>'
    assert "housing completions rose by 8 percent" in extract_document(html.encode(), "text/html").text


def test_hover_card_inside_a_sentence_is_dropped_and_the_name_kept() -> None:
    card = '<span class="rollover-people-block"><a href="/a">Senators call for 5G coordinator</a> MORE</span>'
    name = f'<span class="rollover-people"><a href="/people/omar">Ilhan Omar</a>{card}</span>'
    sentence = f"A man pleaded guilty to threatening Rep. {name} (D-Minn.), prosecutors announced on Monday."
    html = f"<html><body><article><p>{sentence}</p><p>{PARAGRAPH * 3}</p></article></body></html>"
    text = extract_document(html.encode(), "text/html").text
    assert "threatening Rep. Ilhan Omar (D-Minn.), prosecutors announced" in text
    assert "Senators call" not in text


def test_published_time_with_offset_is_converted_to_utc() -> None:
    head = '<meta property="article:published_time" content="2023-05-04T10:00:00+02:00"><title>Housing</title>'
    html = f"<html><head>{head}</head><body><article><p>{PARAGRAPH * 4}</p></article></body></html>"
    assert extract_document(html.encode(), "text/html").published == datetime(2023, 5, 4, 8, 0, tzinfo=UTC)


def test_empty_html_body_is_empty_with_a_reason() -> None:
    document = extract_document(b"  \n ", "text/html")
    assert (document.outcome, document.text, document.detail) == ("empty", "", "empty body")


def test_trafilatura_returning_none_becomes_an_empty_document() -> None:
    html = "<html><body></body></html>"
    assert bare_extraction(html) is None  # the case the wrapper must absorb
    document = extract_document(html.encode(), "text/html")
    assert (document.outcome, document.text, document.detail) == ("empty", "", NO_TEXT)
    assert document.extractor.startswith("trafilatura ")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "text/html"),  # a JPEG served under a wrong header
        (b"PK\x03\x04\x14\x00", None),
        (b"\x00\x01\x02binary", "application/octet-stream"),
        (b"{}", "application/json"),
    ],
)
def test_images_and_binaries_are_unsupported(body: bytes, content_type: str | None) -> None:
    document = extract_document(body, content_type)
    assert (document.outcome, document.kind, document.text) == ("unsupported", "other", "")
    assert document.detail.startswith("not text, HTML or PDF")


@pytest.mark.parametrize(
    ("body", "content_type", "kind"),
    [
        (b"<p>hi</p>", "text/html; charset=utf-8", "html"),
        (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'/>", "application/xhtml+xml", "html"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html>", None, "html"),
        (b"  <!-- c --><html lang='en'>", "application/octet-stream", "html"),
        (b"Plain words.", "text/plain", "text"),
        (b"Plain words.", None, "text"),
        (b"%PDF-1.7\n", None, "pdf"),
        (b"", "application/pdf", "pdf"),
        (b"GIF89a....", None, "other"),
    ],
)
def test_sniff_kind_uses_header_then_magic_bytes(body: bytes, content_type: str | None, kind: str) -> None:
    assert sniff_kind(body, content_type) == kind


def test_plain_text_is_kept_as_is() -> None:
    document = extract_document("Line one.\r\nLigne deux, café.\n".encode(), "text/plain")
    assert (document.outcome, document.text, document.kind) == ("ok", "Line one.\nLigne deux, café.", "text")


def test_trafilatura_config_is_not_rebuilt_per_page(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("use_config called during extraction")

    monkeypatch.setattr(trafilatura.settings, "use_config", fail)
    monkeypatch.setattr(crawler.extract.html, "use_config", fail)
    assert html_document(f"<html><body><p>{PARAGRAPH * 3}</p></body></html>").outcome == "ok"


def test_document_is_frozen() -> None:
    document = extract_document(b"text", "text/plain")
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.text = "changed"  # type: ignore[misc]
    assert isinstance(document, Document)


def test_document_survives_pickling_for_a_process_pool() -> None:
    document = extract_document(JOURNAL, "text/html")
    assert pickle.loads(pickle.dumps(document)) == document


def test_public_api_is_sorted() -> None:
    assert crawler.extract.__all__ == sorted(crawler.extract.__all__)
    assert set(crawler.extract.__all__) == {"Document", "extract_document", "sniff_kind"}
