"""Read one entry of an HTML reference list: its cited link, title, outlet, dates and identifiers.

Backlinks into the article (``^``, ``↩``, ``#cite_ref-…``) and links to the article's own site are not what an
entry cites; on MediaWiki pages, which mark external links with ``class="external"``, only those count. An
entry with no link of its own that points to a full citation elsewhere on the page (Wikipedia's short
"Smith 2010, p. 5" notes) is read through that citation.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

from crawler.ingest.blocks import render_blocks
from crawler.ingest.citation import CitationFields
from crawler.ingest.coins import parse_coins
from crawler.ingest.cs1 import cs1_fields, is_structured_citation
from crawler.ingest.headings import visible_text
from crawler.ingest.links import CitedLink, Link, choose_link
from crawler.ingest.notes import marker_label
from crawler.ingest.page import PageContext
from crawler.ingest.references import ParsedReference, entry_fields, reference_from, strip_entry_label
from crawler.ingest.schemaorg import matching_citation, microdata_fields
from crawler.ingest.styled import styled_fields
from crawler.urls import is_http_url

_BACK_ARROWS = frozenset("^ ↑ ↩ ↩︎ ↩️ ⤴ ⬆ ↥ ⇑ ⇧ ⤒ ↵ ⮌".split())
_BACKLINK_MARKUP = ("backref", "backlink", "reversefootnote", "footnote-back", "to-top")


def parse_entry(
    entry: lxml.html.HtmlElement,
    number: int,
    page: PageContext,
    *,
    label: str | None = None,
    group: str | None = None,
) -> ParsedReference:
    """Return the reference one list entry (``<li>``, ``div.footnote``, an inline note) gives."""
    backlinks = [anchor for anchor in entry.iter("a") if _is_backlink(anchor, entry, page)]
    shown = _without(entry, backlinks)
    lines = [line.lstrip("^↑ ") for line in render_blocks(shown)]
    if lines:
        lines[0] = strip_entry_label(lines[0])
    raw_text = "\n".join(lines)
    source, links = shown, _candidate_links(entry, backlinks, page)
    if not links and (elsewhere := _citation_elsewhere(entry, backlinks, page)) is not None:
        source, links = elsewhere, _candidate_links(elsewhere, [], page)
    structured = _structured_fields(source)
    styled = CitationFields() if structured.title else styled_fields(source)
    text = raw_text if source is shown else visible_text(source)
    cited = choose_link(links, text, structured.title or styled.title)
    fields = _fields(structured, styled, cited, page)
    cited = replace(
        cited,
        url=cited.url or fields.url or fields.identifiers.resolver_url(),
        identifiers=cited.identifiers.merged(fields.identifiers),
    )
    heuristic_outlet, heuristic_title = entry_fields(lines, link_text=cited.link_text)
    # A CS1 citation's leading text is its authors, never its outlet; a link to the page's own site is its own.
    own_site = bool(cited.url) and urlsplit(cited.url).hostname in page.own_hosts
    fallback_outlet = None if _has_cs1(source) or own_site else heuristic_outlet
    return reference_from(
        number,
        fields.outlet or fallback_outlet or (page.site_name if own_site else None) or _site_name(cited.url),
        fields.title or heuristic_title,
        raw_text,
        cited,
        label=label,
        group=group,
        published_at=fields.published_at,
    )


def _fields(structured: CitationFields, styled: CitationFields, cited: CitedLink, page: PageContext) -> CitationFields:
    """Return the fields structure states (CS1, COinS, microdata, JSON-LD), else a quoted title and italic work."""
    structured = structured.filled_from(
        matching_citation(list(page.jsonld), cited.url, cited.identifiers, structured.title)
    )
    if structured.title or structured.outlet:
        return structured
    return styled if styled.outlet else CitationFields(published_at=styled.published_at)


def _structured_fields(source: lxml.html.HtmlElement) -> CitationFields:
    """Return what the entry's CS1 citation, COinS span or microdata states."""
    cite = next((cite for cite in source.iter("cite") if is_structured_citation(cite)), None)
    if cite is not None:
        fields = cs1_fields(cite)
    else:
        spans = source.xpath(".//span[contains(@class, 'Z3988')][@title]")
        fields = parse_coins(spans[0].get("title")) if spans else CitationFields()
    return fields.filled_from(microdata_fields(source))


def _has_cs1(source: lxml.html.HtmlElement) -> bool:
    """Tell whether an entry holds a CS1/CS2 citation."""
    return any(is_structured_citation(cite) for cite in source.iter("cite"))


def _candidate_links(
    element: lxml.html.HtmlElement, backlinks: list[lxml.html.HtmlElement], page: PageContext
) -> list[Link]:
    """Return the entry's outbound links in reading order; links to the page's own site only as a last resort."""
    outbound, own_site = [], []
    for anchor in element.iter("a"):
        if anchor in backlinks or _in_page_target(anchor, page) is not None:
            continue
        # Without a page address a protocol-relative link (``//arxiv.org/…``) is still an https link.
        url = urljoin(page.url or "https:", (anchor.get("href") or "").strip())
        if not is_http_url(url) or _is_self(url, page) or (page.marks_external and not _marked_external(anchor)):
            continue
        link = Link(url, " ".join(anchor.text_content().split()))
        (own_site if urlsplit(url).hostname in page.own_hosts else outbound).append(link)
    return outbound + ([] if page.marks_external else own_site)


def _citation_elsewhere(
    entry: lxml.html.HtmlElement, backlinks: list[lxml.html.HtmlElement], page: PageContext
) -> lxml.html.HtmlElement | None:
    """Return the full citation a short note links to on the same page (``#CITEREFSmith2010``), if any."""
    for anchor in entry.iter("a"):
        target = _in_page_target(anchor, page)
        # A marker inside a note ("…store less.[2]") cites another entry; it is not the note's own citation.
        if anchor in backlinks or target is None or marker_label(anchor.text_content()):
            continue
        return next(
            (element for element in (target, *target.iterancestors()) if element.tag in ("cite", "li", "p", "div")),
            target,
        )
    return None


def _is_backlink(anchor: lxml.html.HtmlElement, entry: lxml.html.HtmlElement, page: PageContext) -> bool:
    """Tell whether a link leads back to the text (``^``, ``↩``, ``#cite_ref-…``) rather than to a source."""
    text = "".join(anchor.text_content().split())
    markup = " ".join((anchor.get("class") or "", anchor.get("role") or "", anchor.get("rel") or "")).lower()
    if text in _BACK_ARROWS or any(name in markup for name in _BACKLINK_MARKUP) or "mw:referencedby" in markup:
        return True
    if any("mw-cite-backlink" in (ancestor.get("class") or "") for ancestor in anchor.iterancestors()):
        return True
    target = _in_page_target(anchor, page)
    return target is not None and page.order.get(target, 0) < page.order.get(entry, 0)


def _in_page_target(anchor: lxml.html.HtmlElement, page: PageContext) -> lxml.html.HtmlElement | None:
    """Return the element of this page a link points to, or None for a link to another page."""
    href = (anchor.get("href") or "").strip()
    if "#" not in href:
        return None
    address, fragment = href.split("#", 1)
    target = page.ids.get(unquote(fragment))
    if target is None:
        return None
    absolute = urljoin(page.url or "", address)
    if not address or not urlsplit(address).scheme or urlsplit(absolute).hostname in page.own_hosts:
        return target
    return None


def _is_self(url: str, page: PageContext) -> bool:
    """Tell whether ``url`` is the article's own address, which an entry never cites."""
    return bool(page.url) and url.split("#", 1)[0] == (page.url or "").split("#", 1)[0]


def _marked_external(anchor: lxml.html.HtmlElement) -> bool:
    """Tell whether MediaWiki marked a link as external (``class="external"``, ``rel="mw:ExtLink"``)."""
    return "external" in (anchor.get("class") or "").split() or "mw:ExtLink" in (anchor.get("rel") or "")


def _without(entry: lxml.html.HtmlElement, backlinks: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    """Return the entry without its backlinks and MediaWiki's backlink box (a copy when it has any)."""
    dropped = {index for index, element in enumerate(entry.iter()) if element in backlinks or _is_backlink_box(element)}
    if not dropped:
        return entry
    clone = copy.deepcopy(entry)
    for index, element in reversed(list(enumerate(clone.iter()))):
        if index in dropped:
            element.drop_tree()
    return clone


def _is_backlink_box(element: lxml.html.HtmlElement) -> bool:
    """Tell whether an element is MediaWiki's ``span.mw-cite-backlink`` ("^ a b c")."""
    return isinstance(element.tag, str) and "mw-cite-backlink" in (element.get("class") or "").split()


def _site_name(url: str | None) -> str:
    """Return a URL's host without ``www.``, the outlet of last resort."""
    return (urlsplit(url).hostname or "").removeprefix("www.") if url else ""
