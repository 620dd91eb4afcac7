"""COinS (``<span class="Z3988" title="ctx_ver=Z39.88-2004&…">``): an OpenURL describing the cited work."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from crawler.dates import as_utc
from crawler.ingest.citation import CitationFields
from crawler.ingest.identifiers import Identifiers, identifiers_in_text
from crawler.urls import is_http_url

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_coins(title: str) -> CitationFields:
    """Return the fields of one COinS ``title`` attribute: article or book title, periodical, publisher, date."""
    values = {key: [value.strip() for value in found] for key, found in parse_qs(title).items()}

    def first(*keys: str) -> str | None:
        return next((values[key][0] for key in keys if values.get(key) and values[key][0]), None)

    ids = values.get("rft_id", [])
    date = first("rft.date")
    return CitationFields(
        title=first("rft.atitle", "rft.btitle", "rft.title"),
        outlet=first("rft.jtitle", "rft.stitle", "rft.pub"),
        # A year alone ("1999") would be read as today's day and month of that year.
        published_at=as_utc(date) if date and _FULL_DATE.match(date) else None,
        url=next((value for value in ids if is_http_url(value)), None),
        identifiers=_identifiers(ids, first("rft.isbn")),
    )


def _identifiers(ids: list[str], isbn: str | None) -> Identifiers:
    """Return the identifiers among ``rft_id`` values (``info:doi/…``, ``info:pmid/…``, ``info:arxiv/…``)."""
    found = Identifiers()
    for value in ids:
        scheme, _, rest = value.partition("/")
        if scheme == "info:doi":
            found = found.merged(Identifiers(doi=rest))
        elif scheme == "info:pmid":
            found = found.merged(Identifiers(pmid=rest))
        elif scheme == "info:arxiv":
            found = found.merged(Identifiers(arxiv=rest))
    return found.merged(identifiers_in_text(f"ISBN {isbn}")) if isbn else found
