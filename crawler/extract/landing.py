"""Recognise a report landing page (a short page whose main link is the document itself) and find that link."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from parsel import Selector

# A landing page carries little prose of its own; a full article with a "Download PDF" link has much more.
LANDING_MAX_CHARS = 2500
DOCUMENT_LINK_TEXT = re.compile(
    r"\bdownload\b.*\b(report|document|study|paper|publication|pdf)\b|\bfull[\s-]text\b|\bread the (full )?report\b"
    r"|\(pdf\b|\bpdf\)",
    re.IGNORECASE,
)
_PROSE = "//p[not(ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside or ancestor::form)]//text()"
_LINKS = "//a[@href][not(ancestor::nav or ancestor::header or ancestor::footer)]"
# Words without which no page can link its document; most pages lack all of them and are never parsed.
_LINK_WORDS = (b"pdf", b"download", b"full text", b"full-text", b"read the")


def may_link_document(html: str) -> bool:
    """Tell cheaply whether a page can have a document link at all (the parse is the costly part)."""
    # Lower-casing UTF-8 bytes (ASCII letters only) finds these ASCII words as str.lower() would, 4x faster:
    # no other character lower-cases to one of their letters.
    lowered = html.encode("utf-8", "surrogatepass").lower()
    return any(word in lowered for word in _LINK_WORDS)


def prose_chars(page: Selector) -> int:
    """Return how many characters of paragraph text the page has outside navigation and footers."""
    # lxml strings directly: a Selector per text node costs more than the parse on long pages.
    return sum(len(text.strip()) for text in page.root.xpath(_PROSE))


def document_link(page: Selector, base_url: str) -> str | None:
    """Return the absolute URL of the page's main document link if the page is a short landing page."""
    if prose_chars(page) > LANDING_MAX_CHARS:
        return None
    candidates = []
    for position, anchor in enumerate(page.xpath(_LINKS)):
        href = (anchor.attrib.get("href") or "").strip()
        label = " ".join(" ".join(anchor.xpath(".//text() | @title | @aria-label").getall()).split())
        if not _followable(href) or not DOCUMENT_LINK_TEXT.search(label):
            continue
        url = urljoin(base_url, href)
        candidates.append((not _looks_like_pdf(url, anchor), position, url))
    return min(candidates)[2] if candidates else None


def _followable(href: str) -> bool:
    return bool(href) and not href.startswith(("#", "javascript:", "mailto:", "tel:"))


def _looks_like_pdf(url: str, anchor: Selector) -> bool:
    """Prefer a link that is visibly the PDF: a ``.pdf`` path or ``type="application/pdf"``."""
    return urlsplit(url).path.lower().endswith(".pdf") or anchor.attrib.get("type", "").lower() == "application/pdf"
