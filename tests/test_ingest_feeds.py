"""What a publisher lists: RSS/Atom entries, a listing page's article links, and what kind a feed's body is."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.exceptions import NotAFeed
from crawler.ingest.feeds import check_kind, detect_kind, feed_entries, listing_entries, sniff

FEED = "http://news.example/feed"


def test_sniff_names_feeds_sitemaps_and_html_by_their_root_after_prologue_and_bom() -> None:
    assert sniff(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- generator --><rss version="2.0">') == "feed"
    assert sniff(b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>") == "feed"
    assert sniff(b'<feed xmlns="http://www.w3.org/2005/Atom">') == "feed"
    assert sniff(b"<?xml version='1.0'?><sitemapindex>") == "sitemap"
    assert sniff("<urlset>".encode("utf-16")) == "sitemap"
    assert sniff(b"<!doctype html><title>x</title>") == "html"
    assert sniff(b'{"items": []}') is None


def test_detect_kind_refuses_what_is_no_feed_sitemap_or_page() -> None:
    assert detect_kind(b"<html><body></body></html>") == "listing"
    with pytest.raises(NotAFeed, match="not an RSS/Atom feed, a sitemap or an HTML page"):
        detect_kind(b"\x89PNG\r\n")


def test_a_given_kind_that_the_body_does_not_match_is_html_served_as_a_feed() -> None:
    check_kind("atom", b"<rss version='2.0'/>")  # RSS and Atom are one family: feedparser reads both
    with pytest.raises(NotAFeed, match=r"expected an RSS/Atom feed \(rss\), got an HTML page"):
        check_kind("rss", b"<!DOCTYPE html><html></html>")


def test_rss_entries_are_absolute_dated_and_decoded_by_the_xml_declaration() -> None:
    body = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Caf\u00e9</title>'
        "<item><link>/2026/caf\u00e9-prices.html</link><pubDate>Mon, 05 Jan 2026 10:00:00 +0100</pubDate></item>"
        "<item><link>https://news.example/b.html#comments</link></item>"
        "<item><title>no link</title></item>"
        "<item><link>/2026/caf\u00e9-prices.html</link></item></channel></rss>"
    ).encode("iso-8859-1")
    parsed = feed_entries(body, FEED, "application/rss+xml")
    assert parsed.kind == "rss" and parsed.malformed is None
    assert [(entry.url, entry.updated) for entry in parsed.entries] == [
        ("http://news.example/2026/caf\u00e9-prices.html", datetime(2026, 1, 5, 9, 0, tzinfo=UTC)),
        ("https://news.example/b.html", None),
    ]


def test_atom_entries_use_the_alternate_link_and_the_updated_date() -> None:
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry>
      <link rel="enclosure" href="/a.mp3"/><link rel="alternate" href="/a.html"/>
      <updated>2026-02-01T08:30:00Z</updated></entry></feed>"""
    parsed = feed_entries(body, FEED, "application/atom+xml")
    assert parsed.kind == "atom"
    assert [(entry.url, entry.updated) for entry in parsed.entries] == [
        ("http://news.example/a.html", datetime(2026, 2, 1, 8, 30, tzinfo=UTC))
    ]


def test_a_malformed_feed_is_reported_with_the_entries_recovered() -> None:
    body = b'<rss version="2.0"><channel><item><link>http://news.example/a</link></item><item><title>cut & '
    parsed = feed_entries(body, FEED, None)
    assert parsed.malformed is not None and parsed.malformed.startswith("malformed XML:")
    assert [entry.url for entry in parsed.entries] == ["http://news.example/a"]


def test_html_is_not_a_feed() -> None:
    with pytest.raises(NotAFeed, match="not an RSS or Atom feed"):
        feed_entries(b"<!DOCTYPE html><html><body><p>moved</p></body></html>", FEED, "text/html")


def test_a_listing_page_lists_same_site_pages_in_main_not_navigation_files_or_other_sites() -> None:
    page = b"""<html><head><base href="/opinion/"></head><body>
      <header><a href="/">Home</a></header><nav><a href="/about.html">About</a></nav>
      <main><article><a href="quotas.html">Quotas</a></article>
        <article><a href="http://www.news.example/opinion/lights.html#top">Lights</a></article>
        <a href="quotas.html">Quotas again</a> <a href="/feed.rss">RSS</a> <a href="/img/map.png">Map</a>
        <a href="https://other.example/opinion/x.html">Elsewhere</a> <a rel="next" href="?page=2">Older</a>
        <a href="mailto:desk@news.example">Mail</a> <a href="/list">This page</a> <a href="/">Home</a>
        <aside><a href="/popular.html">Popular</a></aside></main>
      <footer><a href="/contact.html">Contact</a></footer></body></html>"""
    entries = listing_entries(page, "http://news.example/list", "text/html; charset=utf-8")
    assert [entry.url for entry in entries] == [
        "http://news.example/opinion/quotas.html",
        "http://www.news.example/opinion/lights.html",
    ]
    assert all(entry.updated is None for entry in entries)


def test_a_listing_page_without_main_uses_its_body_minus_navigation() -> None:
    page = b"<html><body><nav><a href='/n.html'>n</a></nav><p><a href='/story.html'>story</a></p></body></html>"
    assert [entry.url for entry in listing_entries(page, "http://news.example/", None)] == [
        "http://news.example/story.html"
    ]
