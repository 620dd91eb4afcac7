"""Wikipedia's CS1/CS2 citations (``<cite class="citation …">``) and the COinS span that follows each one."""

from __future__ import annotations

import lxml.html

from crawler.ingest.citation import CitationFields
from crawler.ingest.coins import parse_coins
from crawler.ingest.styled import styled_fields


def is_structured_citation(element: lxml.html.HtmlElement) -> bool:
    """Tell whether ``element`` is a CS1/CS2 ``<cite class="citation …">``."""
    return element.tag == "cite" and "citation" in (element.get("class") or "").split()


def cs1_fields(cite: lxml.html.HtmlElement) -> CitationFields:
    """Return the fields of a CS1/CS2 citation; its COinS span, when the page kept it, wins over the text.

    The quoted title is the title and the italic work the outlet; a book's italic title is its title and its
    publisher, the plain segment after it, the outlet.
    """
    following = cite.getnext()
    coins = CitationFields()
    if following is not None and "Z3988" in (following.get("class") or "").split() and following.get("title"):
        coins = parse_coins(following.get("title"))
    return coins.filled_from(styled_fields(cite, cs1=True))
