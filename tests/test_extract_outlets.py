"""Outlet adapters fix what the generic path gets wrong on their outlets' pages (offline, fixture pages)."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extract import landing
from crawler.extract.body import extract_page
from crawler.extract.outlets import ADAPTERS, OutletRouter
from tests.mockserver import SITE

AGENCY = "outlets/agency/reports/open-model-weights-monitoring.html"
PUBLISHER = "outlets/publisher/articles/s41467-026-01234-5.html"
BASE = "http://127.0.0.1:8000/"
# Markers the fixture pages put in the parts that are not the article's text.
FURNITURE = ("REFERENCE-LIST-MARKER", "FIGURE-CAPTION-MARKER", "COOKIE-BANNER-MARKER", "RELATED-LINKS-MARKER")


def _page(path: str) -> Selector:
    return Selector(text=(SITE / path).read_text(encoding="utf-8"))


def test_router_maps_configured_url_prefixes_and_real_domains() -> None:
    router = OutletRouter({"ntia": [BASE + "outlets/agency/"], "nature": [BASE + "outlets/publisher/"]})
    assert router.for_url(BASE + AGENCY).name == "ntia"
    assert router.for_url(BASE + PUBLISHER).name == "nature"
    assert router.for_url(BASE + "journal/open-weights-global-south.html") is None
    assert router.for_url("https://www.ntia.gov/report/2024/x").name == "ntia"
    assert router.for_url("https://www.nature.com/articles/s41467-024-1").name == "nature"
    assert router.for_url("https://notnature.com/articles/x") is None


def test_router_rejects_an_unknown_outlet_name() -> None:
    with pytest.raises(ValueError, match="unknown outlets"):
        OutletRouter({"nosuch": ["http://x/"]})


def test_agency_adapter_follows_the_report_pdf_the_generic_path_misses() -> None:
    page = _page(AGENCY)
    assert landing.document_link(page, BASE + AGENCY) is None
    assert (
        ADAPTERS["ntia"].document_link(page, BASE + AGENCY)
        == BASE + "outlets/agency/files/open-model-weights-annex.pdf"
    )


def test_agency_adapter_prefers_the_report_over_side_documents() -> None:
    page = Selector(
        text="""<main>
      <a href="/f/summary.pdf">Executive summary (PDF)</a>
      <a href="/f/comments.pdf">Public comments received</a>
      <a href="/f/report.pdf">Full report</a></main>"""
    )
    assert ADAPTERS["ntia"].document_link(page, BASE) == BASE + "f/report.pdf"


def test_publisher_adapter_keeps_the_html_full_text_the_generic_path_leaves() -> None:
    page = _page(PUBLISHER)
    assert landing.document_link(page, BASE + PUBLISHER) == BASE + "outlets/publisher/articles/s41467-026-01234-5.pdf"
    assert ADAPTERS["nature"].document_link(page, BASE + PUBLISHER) is None


def test_publisher_adapter_reads_abstract_and_body_without_references_or_furniture() -> None:
    html = (SITE / PUBLISHER).read_text(encoding="utf-8")
    body = html.encode("utf-8")
    document = extract_page(body, "text/html; charset=utf-8", BASE + PUBLISHER, "nature", html)
    assert "twenty-four researchers from five continents" in document.text
    assert "shared research infrastructure" in document.text
    assert document.title and "Open-source AI beyond 2030" in document.title
    assert not [marker for marker in FURNITURE if marker in document.text]


def test_publisher_adapter_leaves_pages_without_its_markup_to_the_generic_path() -> None:
    assert ADAPTERS["nature"].main_html(Selector(text="<html><body><p>Plain page.</p></body></html>")) is None
