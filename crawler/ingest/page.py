"""What reading a page's reference entries needs to know about the page: its address, own site and anchors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html

from crawler.ingest.citation import CitationFields
from crawler.ingest.notes import element_ids, link_target
from crawler.ingest.schemaorg import jsonld_citations
from crawler.urls import is_http_url


@dataclass(frozen=True)
class PageContext:
    """The page's address, its own site's hosts and name, its anchors and its JSON-LD citations.

    ``marks_external`` says the page marks outbound links the way MediaWiki does (``class="external"``,
    ``rel="mw:ExtLink"``), so unmarked links are the wiki's own navigation.
    """

    url: str | None
    own_hosts: frozenset[str]
    site_name: str | None
    marks_external: bool
    ids: Mapping[str, lxml.html.HtmlElement]
    order: Mapping[lxml.html.HtmlElement, int]
    jsonld: Sequence[CitationFields]


def page_context(
    root: lxml.html.HtmlElement, url: str | None, canonical: str | None, site_name: str | None
) -> PageContext:
    """Return the context of a page fetched from ``url`` (None for a file) that names ``canonical`` as its address."""
    ids = element_ids(root)
    base = _base_url(root, url or canonical)
    hosts = {urlsplit(address).hostname for address in (url, canonical, base) if address and is_http_url(address)}
    # A link into this page's own anchors written as an absolute URL names the page's own host.
    for anchor in root.iter("a"):
        href = anchor.get("href") or ""
        if href.startswith(("http://", "https://")) and link_target(anchor, ids) is not None:
            hosts.add(urlsplit(href).hostname)
    marked = root.xpath("//a[contains(concat(' ', normalize-space(@class), ' '), ' external ')][1]")
    return PageContext(
        url=base,
        own_hosts=frozenset(host for host in hosts if host),
        site_name=site_name,
        marks_external=bool(marked or root.xpath("//a[contains(@rel, 'mw:ExtLink')][1]")),
        ids=ids,
        order={element: index for index, element in enumerate(root.iter())},
        jsonld=jsonld_citations(root),
    )


def _base_url(root: lxml.html.HtmlElement, url: str | None) -> str | None:
    """Return the address relative links resolve against: ``<base href>`` (made absolute) or the page's URL."""
    base = next((element.get("href") for element in root.iter("base") if element.get("href")), None)
    if base is None:
        return url
    resolved = urljoin(url or "", base)
    return f"https:{resolved}" if resolved.startswith("//") else resolved
