"""The generic path: a short landing page's main document link is found; article pages are kept."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extract.landing import LANDING_MAX_CHARS, document_link, may_link_document
from tests.mockserver import SITE

BASE = "http://127.0.0.1:8000/"


def _link(path: str) -> str | None:
    return document_link(Selector(text=(SITE / path).read_text(encoding="utf-8")), BASE + path)


def test_report_landing_page_links_to_its_pdf() -> None:
    path = "gov/reports/open-model-weights/index.html"
    assert _link(path) == BASE + "gov/reports/open-model-weights/report.pdf"


@pytest.mark.parametrize(
    "path",
    [
        "journal/open-weights-global-south.html",
        "thinktank/open-source-ai-resilience.html",
        "blog/eu-ai-act-open-source.html",
    ],
)
def test_article_pages_are_their_own_text(path: str) -> None:
    assert _link(path) is None


@pytest.mark.parametrize("label", ["Full text", "Download the study", "Read the full report", "Annual review (PDF)"])
def test_document_link_labels_are_recognised(label: str) -> None:
    page = Selector(text=f'<main><p>Short summary.</p><a href="/doc">{label}</a><a href="/other">Contact</a></main>')
    assert document_link(page, BASE) == BASE + "doc"


def test_pdf_link_wins_over_an_html_full_text_link() -> None:
    page = Selector(text='<main><a href="/html">Full text</a> <a href="/r.pdf">Download the report (PDF)</a></main>')
    assert document_link(page, BASE) == BASE + "r.pdf"


def test_long_page_with_a_pdf_link_is_kept() -> None:
    prose = "<p>" + "word " * (LANDING_MAX_CHARS // 4) + "</p>"
    page = Selector(text=f'<main>{prose}<a href="/r.pdf">Download PDF</a></main>')
    assert document_link(page, BASE) is None


def test_navigation_links_are_ignored() -> None:
    page = Selector(text='<nav><a href="/r.pdf">Download the report (PDF)</a></nav><main><p>Hi.</p></main>')
    assert document_link(page, BASE) is None


@pytest.mark.parametrize(
    ("html", "may_link"),
    [
        ("<p>Résumé — <a href='r'>DOWNLOAD the Report</a></p>", True),
        ("<p>Ｆｕｌｌ text in Ｐｄｆ form? «Read The» summary</p>", True),
        ("<p>Ｐｄｆ, ｄｏｗｎｌｏａｄ: fullwidth letters only \ud800</p>", False),
        ("<p>Ünïcödé article with no document words</p>", False),
    ],
)
def test_cheap_prefilter_matches_link_words_in_any_case_on_non_ascii_pages(html: str, may_link: bool) -> None:
    assert may_link_document(html) is may_link
