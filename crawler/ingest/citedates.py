"""Dates a reference states in words: when it was retrieved, when it was archived, when the work appeared."""

from __future__ import annotations

import re
from datetime import datetime

from crawler.dates import as_utc
from crawler.ingest.dates import DATE_IN_TEXT

_DATE = DATE_IN_TEXT.pattern
_ACCESSED = re.compile(
    rf"\b(?:retrieved|accessed|last accessed|viewed|consulted)(?:\s+on)?\s*:?\s*(?P<date>{_DATE})", re.IGNORECASE
)
_ARCHIVED = re.compile(rf"\barchived\b(?:[^.;]{{0,40}}?\bon)?\s*:?\s*(?P<date>{_DATE})", re.IGNORECASE)
# Words that say a date nearby is not the work's own publication date.
_NOT_PUBLISHED = re.compile(r"(?:retrieved|accessed|viewed|consulted|archived|original)[^.;]{0,40}$", re.IGNORECASE)


def accessed_date(text: str) -> datetime | None:
    """Return the date in ``Retrieved 14 September 2023`` / ``Accessed on 2023-09-14``, if any."""
    found = _ACCESSED.search(text)
    return as_utc(found.group("date")) if found else None


def archived_date(text: str) -> datetime | None:
    """Return the date in ``Archived from the original on 9 July 2014``, if any."""
    found = _ARCHIVED.search(text)
    return as_utc(found.group("date")) if found else None


def published_date(text: str) -> datetime | None:
    """Return the first full date of ``text`` that is not a retrieval or archive date."""
    for found in DATE_IN_TEXT.finditer(text):
        if not _NOT_PUBLISHED.search(text[max(0, found.start() - 60) : found.start()]):
            return as_utc(found.group(0))
    return None
