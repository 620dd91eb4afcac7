"""HTML articles: <sup>/#ref markers, bracket markers, <ol> source lists with links, metadata in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.exceptions import NoCitations
from crawler.ingest import ParsedArticle, parse_article

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


def parse_fixture(name: str, **kwargs: str) -> ParsedArticle:
    return parse_article((FIXTURES / name).read_bytes(), filename=name, **kwargs)


def test_sup_anchor_markers_become_claims_with_their_numbers() -> None:
    article = parse_fixture("sup-anchors.html")
    assert [(claim.citations, claim.text[:24]) for claim in article.claims] == [
        ((1,), "Summer water temperature"),
        ((2,), "Dr. Lena Varga, who led "),
        ((2, 3), "Brown trout now spawn ro"),
        ((3,), "Restoration groups argue"),
    ]
    assert article.claims[3].text.endswith("part of the warming, though the evidence remains limited.")
    assert [quote.text for quote in article.claims[1].quotes] == ["steady and unmistakable."]


def test_sup_anchor_article_text_has_bracket_markers_and_no_chrome() -> None:
    article = parse_fixture("sup-anchors.html")
    claim = article.claims[2]
    assert article.text[claim.start : claim.end].endswith("mid-1990s.[2][3]")
    for chrome in ("window.analytics", "Home", "Related:", "© 2025", "12 km further upstream than in 1995"):
        assert chrome not in article.text
    assert "Elk River Watershed Council" not in article.text


def test_ol_source_list_gives_outlet_title_and_external_link() -> None:
    article = parse_fixture("sup-anchors.html", url="https://ledger.example.com/rivers")
    assert [(ref.number, ref.outlet, ref.title, ref.url) for ref in article.references] == [
        (
            1,
            "Elk River Watershed Council",
            "Thirty Years of Stream Temperature Records",
            "https://elkriver.example.org/reports/temperature-2021.pdf",
        ),
        (
            2,
            "Northern Fisheries Review",
            "Upstream Migration of Salmo trutta in a Warming Basin",
            "https://nfr.example.com/articles/upstream-migration?utm_source=ledger",
        ),
        (3, "Riverbank Trust", "Can Shade Cool a River?", "https://riverbank.example.net/blog/shade"),
    ]
    assert article.warnings == ()


def test_html_metadata_is_read_and_the_date_stored_as_aware_utc() -> None:
    article = parse_fixture("sup-anchors.html", url="https://ledger.example.com/rivers")
    assert article.title == "Rivers Are Running Warmer, and Trout Are Moving Upstream"
    assert article.byline == "Mara Okafor"
    assert article.publisher == "The Harbour Ledger"
    assert article.published == datetime(2025, 3, 14, 8, 30, tzinfo=UTC)
    assert article.url == "https://ledger.example.com/rivers"


def test_bracket_markers_in_html_with_lists_and_ranges() -> None:
    article = parse_fixture("brackets.html")
    assert [claim.citations for claim in article.claims] == [(1, 4), (2, 3), (2, 3, 4), (5,), (7,)]
    assert article.claims[2].text == "Recovery rates for cobalt and nickel now exceed 95% at the newest plants."
    assert article.published == datetime(2024, 11, 2, tzinfo=UTC)
    assert (article.byline, article.publisher) == ("Tomás Ribeiro", "Gridline Weekly")


def test_references_heading_and_one_line_entries_in_html() -> None:
    article = parse_fixture("brackets.html")
    assert [(ref.outlet, ref.title) for ref in article.references] == [
        ("Circular Energy Storage", "Global Lithium-ion Battery Recycling Market 2024"),
        ("Journal of Cleaner Production", "Production scrap dominates early recycling volumes"),
        ("International Energy Agency", "Batteries and Secure Energy Transitions"),
        ("European Commission", "Battery Regulation impact assessment"),
        ("Argonne National Laboratory", "Lithium Recovery by Hydrometallurgy"),
    ]
    assert article.references[4].url is None


def test_a_claim_citing_a_number_without_entry_is_kept_with_a_warning() -> None:
    article = parse_fixture("brackets.html")
    assert article.claims[4].citations == (7,)
    assert article.warnings == ("[7] is cited by claim 5 but has no entry in the source list",)


def test_html_is_recognised_by_content_type_or_by_sniffing() -> None:
    body = (FIXTURES / "brackets.html").read_bytes()
    by_type = parse_article(body, content_type="text/html; charset=utf-8")
    sniffed = parse_article(body)
    assert by_type.claims == sniffed.claims
    assert len(sniffed.references) == 5


def test_sup_that_is_not_a_number_is_text_not_a_marker() -> None:
    body = b"<html><body><p>It was the 4<sup>th</sup> time.</p><p>Area is 3 km<sup>x</sup>.</p></body></html>"
    with pytest.raises(NoCitations):
        parse_article(body, content_type="text/html")


def test_source_list_written_as_paragraphs_is_read_and_not_searched_for_claims() -> None:
    body = (
        b"<html><body><main><p>Shade trees cool streams by two degrees.[1] Anglers agree.[2]</p>"
        b'<h3>Notes</h3><p>[1] Riverbank Trust, "Can Shade Cool a River?", https://riverbank.example.net/shade</p>'
        b"<p>[2] Harbour Ledger. Anglers speak.</p></main></body></html>"
    )
    article = parse_article(body, content_type="text/html")
    assert [claim.citations for claim in article.claims] == [(1,), (2,)]
    assert [(ref.number, ref.outlet, ref.title, ref.url) for ref in article.references] == [
        (1, "Riverbank Trust", "Can Shade Cool a River?", "https://riverbank.example.net/shade"),
        (2, "Harbour Ledger", "Anglers speak", None),
    ]
