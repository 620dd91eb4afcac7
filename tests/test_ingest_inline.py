"""News with inline links: outbound links in the body become numbered sources, sentences carrying them claims;
navigation, related, share and advertising links are not sources."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.exceptions import NoCitations
from crawler.ingest import ParsedArticle, parse_article
from crawler.ingest.html import INLINE_FALLBACK_WARNING

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
NEWS = (FIXTURES / "inline-news.html").read_bytes()


@pytest.fixture(scope="module")
def news() -> ParsedArticle:
    return parse_article(NEWS, filename="inline-news.html")


def test_each_outbound_link_is_a_source_numbered_by_first_appearance(news: ParsedArticle) -> None:
    assert [(ref.number, ref.outlet, ref.title, ref.url) for ref in news.references] == [
        (
            1,
            "dockersunion.example.org",
            "the ballot result published by the union",
            "https://www.dockersunion.example.org/news/2025/ballot-result",
        ),
        (
            2,
            "tradewire.example.com",
            "Trade Wire",
            "https://www.tradewire.example.com/ports/2025/strike-costs?utm_source=twitter&utm_medium=social",
        ),
        (
            3,
            "centralbank.example.gov",
            "the central bank",
            "https://www.centralbank.example.gov/research/2025/port-disruption-prices.pdf",
        ),
        (
            4,
            "gov.example.uk",
            "a statement",
            "https://www.gov.example.uk/government/news/minister-welcomes-port-agreement",
        ),
        (5, "doi.org", "(Transport Policy, 2023)", "https://doi.org/10.1016/j.tranpol.2023.05.012"),
        (
            6,
            "dockersunion.example.org",
            "still online",
            "http://www.dockersunion.example.org/press/2011-strike-ends.html",
        ),
    ]


def test_the_sentence_carrying_a_link_is_a_claim_citing_it(news: ParsedArticle) -> None:
    assert [(claim.citations, claim.text[:45]) for claim in news.claims] == [
        ((1,), "Dock workers at the southern terminal returne"),
        ((2,), "The strike cost exporters an estimated £40m a"),
        ((3,), "Economists at the central bank had warned tha"),
        ((4,), "The transport minister welcomed the deal in a"),
        ((2,), "Container volumes had already fallen 12% in t"),
        ((5,), "A 2023 study of European ports found that sto"),
        ((6,), "The port's previous strike, in 2011, ended af"),
    ]
    assert news.claims[3].quotes[0].text == "everyone has had to compromise."


def test_navigation_related_share_ad_and_own_site_links_are_not_sources(news: ParsedArticle) -> None:
    urls = " ".join(ref.url or "" for ref in news.references)
    for not_a_source in ("coastlinecourier", "twitter.com", "facebook.com", "adclick", "partner-content", "photos."):
        assert not_a_source not in urls
    assert "Shipping rates climb" not in news.text and "Most read" not in news.text


def test_archived_links_and_dois_in_the_body_are_read_like_references(news: ParsedArticle) -> None:
    assert news.references[4].doi == "10.1016/j.tranpol.2023.05.012"
    archived = news.references[5]
    assert archived.archive_url == (
        "https://web.archive.org/web/20110914093000/http://www.dockersunion.example.org/press/2011-strike-ends.html"
    )
    assert archived.archive_captured_at == datetime(2011, 9, 14, 9, 30, tzinfo=UTC)


def test_a_page_without_numbered_citations_falls_back_with_a_warning(news: ParsedArticle) -> None:
    assert news.warnings == (INLINE_FALLBACK_WARNING,)
    assert news.title == "Port strike ends after nine days as dock workers accept pay deal"
    assert news.published == datetime(2025, 4, 8, 15, 20, tzinfo=UTC)


def test_inline_links_asked_for_replace_numbered_citations_without_a_warning() -> None:
    html = (
        "<html><head><link rel='canonical' href='https://www.harbourledger.example/a'></head><body><article>"
        "<p>Fares fell by a tenth, <a href='https://www.transitregulator.example/fares'>the regulator said</a>."
        "<sup>1</sup> "
        "Usage rose <a href='/earlier'>as we reported</a>.</p>"
        + "<p>Filler paragraph that gives the extractor enough text to call this page an article body.</p>" * 4
        + "<ol><li>Ledger archive.</li></ol></article></body></html>"
    )
    numbered = parse_article(html.encode(), content_type="text/html")
    inline = parse_article(html.encode(), content_type="text/html", inline_links=True)
    assert [ref.url for ref in numbered.references] != [ref.url for ref in inline.references]
    assert [(ref.number, ref.url) for ref in inline.references] == [(1, "https://www.transitregulator.example/fares")]
    assert [claim.citations for claim in inline.claims] == [(1,)]
    assert inline.warnings == ()


def test_inline_links_on_a_page_with_no_outbound_links_is_refused() -> None:
    html = (
        b"<html><body><article><p>Nothing here links anywhere. "
        + b"Still nothing. " * 40
        + b"</p></article></body></html>"
    )
    with pytest.raises(NoCitations, match="no outbound links"):
        parse_article(html, content_type="text/html", inline_links=True)
