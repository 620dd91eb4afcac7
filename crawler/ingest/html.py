"""Read an HTML article: main text with ``<sup>``/``#ref`` markers as ``[n]``, its ``<ol>`` source list, metadata."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml.etree import ParserError
from trafilatura import extract_metadata

from crawler.dates import as_utc
from crawler.exceptions import UndecodableInput
from crawler.ingest.blocks import render_blocks
from crawler.ingest.parts import ArticleParts
from crawler.ingest.references import (
    HEADING,
    ParsedReference,
    entry_fields,
    find_reference_heading,
    find_viewpoint_labels,
    parse_text_references,
    strip_label,
)

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


def parse_html(html: str, *, url: str | None = None) -> ArticleParts:
    """Return the parts of an HTML article; its source list is removed from the text claims come from."""
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html))
    except (ParserError, ValueError) as error:
        raise UndecodableInput(f"input is not readable HTML: {error}") from None
    metadata = extract_metadata(html[:_METADATA_WINDOW], default_url=url)
    references = _pop_references(root, url)
    container = next(iter(root.xpath("//article | //main")), None)
    text = "\n\n".join(render_blocks(container if container is not None else root))
    labels = find_viewpoint_labels(text)
    body_end = len(text)
    heading = None if references else find_reference_heading(text)
    if heading is not None:
        # No <ol> under the heading: the entries are paragraphs like "[1] Outlet, Title, URL".
        references, body_end = parse_text_references(text[heading:], labels), heading
    return ArticleParts(
        text=text,
        body_end=body_end,
        references=tuple(_relabel(reference, labels) for reference in references),
        title=metadata.title,
        byline=metadata.author,
        publisher=metadata.sitename,
        published=_published(root) or as_utc(metadata.date),
    )


def _pop_references(root: lxml.html.HtmlElement, url: str | None) -> list[ParsedReference]:
    """Parse the ``<ol>`` under the last source-list heading and remove heading and list from the tree."""
    headings = [
        element
        for element in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "b", "dt")
        if HEADING.fullmatch(" ".join(element.text_content().split()))
    ]
    for heading in reversed(headings):
        lists = heading.xpath("following::ol[1]")
        if lists:
            references = _parse_list(lists[0], url)
            for element in (lists[0], heading):
                element.drop_tree()
            return references
    return []


def _parse_list(ordered: lxml.html.HtmlElement, url: str | None) -> list[ParsedReference]:
    """Return one reference per ``<li>``, numbered by ``value``/``start`` attributes or position."""
    article_host = urlsplit(url).hostname if url else None
    start = int(ordered.get("start")) if (ordered.get("start") or "").isdigit() else 1
    references = []
    for position, item in enumerate(ordered.iterchildren("li")):
        number = int(item.get("value")) if (item.get("value") or "").isdigit() else start + position
        links = [
            (urljoin(url or "", anchor.get("href", "")), " ".join(anchor.text_content().split()))
            for anchor in item.iter("a")
            if not anchor.get("href", "#").startswith("#")
        ]
        # The entry's external link comes first; a link back to the article itself is a last resort.
        links = sorted(
            ((href, text) for href, text in links if href.startswith(("http://", "https://"))),
            key=lambda link: urlsplit(link[0]).hostname == article_host,
        )
        lines = [line.lstrip("^↑ ") for line in render_blocks(item)]
        outlet, title = entry_fields(lines, link_text=links[0][1] if links else None)
        references.append(ParsedReference(number, outlet, title, links[0][0] if links else None, "\n".join(lines)))
    return references


def _relabel(reference: ParsedReference, labels: frozenset[str]) -> ParsedReference:
    """Strip viewpoint labels (found in the article text) from an outlet name."""
    return replace(reference, outlet=strip_label(reference.outlet, labels))


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
