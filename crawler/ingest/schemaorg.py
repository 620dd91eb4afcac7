"""schema.org citations: JSON-LD ``"citation": [...]`` on the page and microdata ``itemprop="citation"`` entries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import lxml.html

from crawler.dates import as_utc
from crawler.ingest.citation import CitationFields
from crawler.ingest.identifiers import Identifiers, identifiers_in_text, identifiers_in_url
from crawler.urls import canonicalize_url, is_http_url

_TITLE_KEYS = ("name", "headline", "alternativeHeadline", "title")
_OUTLET_KEYS = ("isPartOf", "publisher", "sourceOrganization")


def jsonld_citations(root: lxml.html.HtmlElement) -> list[CitationFields]:
    """Return every work listed under a ``citation`` property in the page's JSON-LD blocks."""
    found = []
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for node in _nodes(data):
            cited = node.get("citation")
            for work in cited if isinstance(cited, list) else [cited]:
                if isinstance(work, dict):
                    found.append(_jsonld_fields(work))
    return found


def matching_citation(
    citations: list[CitationFields], url: str | None, identifiers: Identifiers, title: str | None
) -> CitationFields:
    """Return the JSON-LD citation naming the same URL, DOI or title as a reference, else empty fields."""
    key = _url_key(url)
    for cited in citations:
        if (
            (key and _url_key(cited.url) == key)
            or (identifiers.doi and cited.identifiers.doi and identifiers.doi.lower() == cited.identifiers.doi.lower())
            or (title and cited.title and _folded(title) == _folded(cited.title))
        ):
            return cited
    return CitationFields()


def microdata_fields(entry: lxml.html.HtmlElement) -> CitationFields:
    """Return the fields of a microdata work (``itemprop="citation"`` or an ``itemscope`` entry), else empty."""
    cited = entry.xpath(".//*[@itemscope and contains(concat(' ', @itemprop, ' '), ' citation ')]")
    scope = cited[0] if cited else (entry if entry.get("itemscope") is not None else None)
    if scope is None:
        return CitationFields()
    values: dict[str, str] = {}
    for element in scope.iterdescendants():
        owner = next(element.iterancestors(), None)
        while owner is not None and owner is not scope and owner.get("itemscope") is None:
            owner = owner.getparent()
        if owner is scope:
            for name in (element.get("itemprop") or "").split():
                values.setdefault(name, _microdata_value(element))
    url = values.get("url")
    return CitationFields(
        title=next((values[key] for key in _TITLE_KEYS if values.get(key)), None),
        outlet=next((values[key] for key in _OUTLET_KEYS if values.get(key)), None),
        published_at=as_utc(values.get("datePublished")),
        url=url if url and is_http_url(url) else None,
        identifiers=_identifiers(values.get("identifier"), values.get("sameAs")),
    )


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Yield every object of a JSON-LD document, including those inside ``@graph`` and nested values."""
    if isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, (dict, list)):
                yield from _nodes(value)
    elif isinstance(data, list):
        for item in data:
            yield from _nodes(item)


def _jsonld_fields(work: dict[str, Any]) -> CitationFields:
    """Return the fields of one JSON-LD CreativeWork."""
    addresses = (work.get("url"), work.get("@id"))
    url = next((value for value in addresses if isinstance(value, str) and is_http_url(value)), None)
    same_as = work.get("sameAs")
    return CitationFields(
        title=next((_name(work[key]) for key in _TITLE_KEYS if _name(work.get(key))), None),
        outlet=next((_name(work[key]) for key in _OUTLET_KEYS if _name(work.get(key))), None),
        published_at=as_utc(work.get("datePublished") if isinstance(work.get("datePublished"), str) else None),
        url=url,
        identifiers=_identifiers(_name(work.get("identifier")), same_as[0] if isinstance(same_as, list) else same_as),
    )


def _name(value: Any) -> str | None:
    """Return a JSON-LD value as text: a string itself, an object's ``name``/``value``, a list's first."""
    if isinstance(value, list):
        return _name(value[0]) if value else None
    if isinstance(value, dict):
        return _name(value.get("name") or value.get("value"))
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _identifiers(identifier: str | None, same_as: Any) -> Identifiers:
    """Return the DOI or other identifiers in an ``identifier`` value and a ``sameAs`` link."""
    from_link = identifiers_in_url(same_as) if isinstance(same_as, str) else Identifiers()
    written = f"doi:{identifier}" if identifier and identifier.startswith("10.") else identifier or ""
    from_text = identifiers_in_text(written)
    return from_link.merged(from_text)


def _microdata_value(element: lxml.html.HtmlElement) -> str:
    """Return an itemprop's value: ``content``/``datetime``/``href`` attribute, a nested item's name, or its text."""
    for attribute in ("content", "datetime", "href", "src"):
        if element.get(attribute):
            return element.get(attribute)
    if element.get("itemscope") is not None:
        names = element.xpath(".//*[@itemprop='name']")
        if names:
            return " ".join(names[0].text_content().split())
    return " ".join(element.text_content().split())


def _url_key(url: str | None) -> str | None:
    """Return a URL's canonical form for comparison, or None."""
    try:
        return canonicalize_url(url) if url else None
    except ValueError:
        return None


def _folded(title: str) -> str:
    """Return a title lowercased with punctuation and spacing ignored, for comparison."""
    return "".join(character for character in title.casefold() if character.isalnum())
