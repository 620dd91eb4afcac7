"""Read an HTML article: its text with ``[n]`` markers, its numbered references and its metadata.

Numbered citations (footnote markers, ``<sup>`` numbers, ``[n]`` in the text) are read first; a page with
none, or any page when asked, is read as news with inline links (``crawler.ingest.inline``).
"""

from __future__ import annotations

import re
from datetime import datetime

import lxml.html
from lxml.etree import ParserError
from trafilatura import extract_metadata

from crawler.dates import as_utc
from crawler.exceptions import UndecodableInput
from crawler.ingest.inline import inline_link_text
from crawler.ingest.markers import find_markers
from crawler.ingest.numbered import NumberedText, numbered_text
from crawler.ingest.page import page_context
from crawler.ingest.parts import ArticleParts

_DATE_META = (
    "article:published_time",
    "datepublished",
    "citation_publication_date",
    "dc.date",
    "date",
    "pubdate",
)
# Metadata sits in <head> and above the article; trafilatura's date search is slow on a whole large page.
_METADATA_WINDOW = 200_000
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
INLINE_FALLBACK_WARNING = "no numbered citations found: each outbound link in the article body is a source"


def parse_html(html: str, *, url: str | None = None, inline_links: bool = False) -> ArticleParts:
    """Return the parts of an HTML article; its source list is removed from the text claims come from.

    With ``inline_links``, or when the page has no numbered citations, outbound links in the body are the sources.
    """
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html))
    except (ParserError, ValueError) as error:
        raise UndecodableInput(f"input is not readable HTML: {error}") from None
    metadata = extract_metadata(html[:_METADATA_WINDOW], default_url=url)
    if inline_links:
        numbered = NumberedText("", 0, ())
    else:
        numbered = numbered_text(root, page_context(root, url, metadata.url, metadata.sitename))
    has_markers = bool(find_markers(numbered.text[: numbered.body_end]))
    inline = None if has_markers else inline_link_text(html, url or metadata.url)
    if inline is None:
        text, body_end, references, warnings = numbered.text, numbered.body_end, numbered.references, ()
    else:
        text, body_end, references = inline.text, len(inline.text), inline.references
        warnings = () if inline_links else (INLINE_FALLBACK_WARNING,)
    return ArticleParts(
        text=text,
        body_end=body_end,
        references=references,
        title=metadata.title,
        byline=metadata.author,
        publisher=metadata.sitename,
        published=_published(root) or as_utc(metadata.date),
        warnings=warnings,
    )


def _published(root: lxml.html.HtmlElement) -> datetime | None:
    """Return the publication time from meta tags or ``<time>``, which trafilatura truncates to a day."""
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _DATE_META and (published := as_utc(meta.get("content"))):
            return published
    for time in root.iter("time"):
        if published := as_utc(time.get("datetime")):
            return published
    return None
