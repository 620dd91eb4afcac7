"""What a publisher lists: the article links of an RSS/Atom feed or of a listing page, and what kind a body is.

Sitemaps are read by the ``articles`` spider with Scrapy's own sitemap parser; this module tells them apart.
"""

from __future__ import annotations

import io
import re
import xml.sax
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
import lxml.html

from crawler.charset import decode_html
from crawler.exceptions import NotAFeed
from crawler.urls import is_http_url

# What each kind's body is, as ``sniff`` names it.
DOCUMENTS = {"rss": "feed", "atom": "feed", "sitemap": "sitemap", "listing": "html"}
_ROOTS = {"rss": "feed", "rdf": "feed", "feed": "feed", "urlset": "sitemap", "sitemapindex": "sitemap", "html": "html"}
# The first element of a document, after any BOM, XML declaration, comments, processing instructions or DOCTYPE.
_PROLOGUE = re.compile(r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_SNIFF_BYTES = 4096
# Links a listing page has that are not articles: files, feeds, and the page's own navigation.
_NOT_PAGES = re.compile(r"\.(?:xml|rss|atom|json|css|js|ico|png|jpe?g|gif|svg|webp|mp[34]|zip|gz)$", re.IGNORECASE)
_OUTSIDE_LIST = ("nav", "header", "footer", "aside", "form")
_NOT_ARTICLE_RELS = frozenset({"nofollow", "next", "prev", "author", "tag", "license"})


@dataclass(frozen=True)
class Entry:
    """An article a feed lists: its absolute URL, and when the feed says it last changed (None: not said)."""

    url: str
    updated: datetime | None = None


@dataclass(frozen=True)
class FeedEntries:
    """The entries of an RSS or Atom feed, its kind, and why it is malformed (entries then are those recovered)."""

    kind: str
    entries: list[Entry]
    malformed: str | None = None


def sniff(body: bytes) -> str | None:
    """Return what ``body`` is by its root element: ``feed``, ``sitemap``, ``html``, or None when none of them."""
    head = body[:_SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("latin-1").removeprefix("\xef\xbb\xbf")
    if re.match(r"\s*<!DOCTYPE\s+html", text, re.IGNORECASE):
        return "html"
    root = _ROOT.match(text, _PROLOGUE.match(text).end())  # type: ignore[union-attr]
    return _ROOTS.get(root.group(1).rpartition(":")[2].lower()) if root else None


def check_kind(kind: str, body: bytes) -> None:
    """Raise ``NotAFeed`` when ``body`` is not the document a feed of ``kind`` serves."""
    found = sniff(body)
    expected = DOCUMENTS[kind]
    if found != expected:
        what = {"feed": "an RSS/Atom feed", "sitemap": "a sitemap", "html": "an HTML page"}
        raise NotAFeed(f"expected {what[expected]} ({kind}), got {what.get(found or '', 'something else')}")


def detect_kind(body: bytes) -> str:
    """Return the kind of feed ``body`` is (``rss`` for any RSS/Atom feed until parsed); raise ``NotAFeed``."""
    found = sniff(body)
    if found is None:
        raise NotAFeed("not an RSS/Atom feed, a sitemap or an HTML page")
    return {"feed": "rss", "sitemap": "sitemap", "html": "listing"}[found]


def feed_entries(body: bytes, url: str, content_type: str | None) -> FeedEntries:
    """Return the article links of an RSS or Atom feed at ``url``; raise ``NotAFeed`` if it is neither.

    feedparser reads the bytes, so the XML declaration's encoding is honoured (the HTTP header's charset too).
    """
    # A file object, never bytes or text: feedparser would try a text or bytes argument as a URL or file name.
    headers = {"content-type": content_type or "application/xml", "content-location": url}
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    if not parsed.version:
        raise NotAFeed("not an RSS or Atom feed" + _reason(parsed))
    kind = "atom" if parsed.version.startswith("atom") else "rss"
    entries = _unique(_feed_entry(entry, url) for entry in parsed.entries)
    error = parsed.get("bozo_exception")
    malformed = f"malformed XML: {error}" if isinstance(error, xml.sax.SAXParseException) else None
    return FeedEntries(kind, entries, malformed)


def listing_entries(body: bytes, url: str, content_type: str | None) -> list[Entry]:
    """Return the links of a listing page to other pages of its site, in page order: the articles it lists.

    Only links inside ``<main>`` (or ``<article>`` teasers) when the page has them, else the whole body, and
    never those in navigation, header, footer, sidebars or forms, nor files, feeds, the home page or the page.
    """
    html = decode_html(body, content_type)
    if not html.strip():
        return []
    root = lxml.html.document_fromstring(html)
    base = urljoin(url, (root.xpath("string(//base/@href)") or "").strip())
    scope = root.xpath("//main") or root.xpath("//article") or [root]
    page = urldefrag(url).url
    links = (
        anchor for area in scope for anchor in area.iter("a")
        if not any(ancestor.tag in _OUTSIDE_LIST for ancestor in anchor.iterancestors())
        and _NOT_ARTICLE_RELS.isdisjoint((anchor.get("rel") or "").lower().split())
    )  # fmt: skip
    found = (urldefrag(urljoin(base, (anchor.get("href") or "").strip())).url for anchor in links)
    return _unique(Entry(link) for link in found if link != page and _same_site_page(link, page))


def _same_site_page(link: str, page: str) -> bool:
    if not is_http_url(link):
        return False
    target, listing = urlsplit(link), urlsplit(page)
    same_site = _site(target.hostname) == _site(listing.hostname) and target.port == listing.port
    return same_site and target.path not in ("", "/") and not _NOT_PAGES.search(target.path)


def _site(host: str | None) -> str:
    return (host or "").lower().removeprefix("www.")


def _feed_entry(entry: feedparser.FeedParserDict, url: str) -> Entry | None:
    """Return an entry's article link (made absolute) and date, None when it has no http(s) link."""
    written = (entry.get("link") or "").strip()
    link = urldefrag(urljoin(url, written)).url
    if not written or not is_http_url(link) or link == url:
        return None
    # dict.get: feedparser's own get() maps updated_parsed onto published_parsed with a DeprecationWarning.
    stamp = dict.get(entry, "updated_parsed") or dict.get(entry, "published_parsed")
    return Entry(link, datetime(*stamp[:6], tzinfo=UTC) if stamp else None)  # feedparser gives UTC


def _unique(entries: Iterable[Entry | None]) -> list[Entry]:
    """Drop missing entries and repeated URLs (the first one stays)."""
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry is not None and entry.url not in seen:
            seen[entry.url] = entry
    return list(seen.values())


def _reason(parsed: feedparser.FeedParserDict) -> str:
    error = parsed.get("bozo_exception")
    return f" ({error})" if isinstance(error, xml.sax.SAXParseException) else ""
