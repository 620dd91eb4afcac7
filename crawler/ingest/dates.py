"""Dates written in article and reference text, and parsing them to aware UTC datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from dateutil import parser as date_parser

# Month names may be glued to a preceding word by the copy ("ExplainerJun 12, 2026").
_MONTH = (
    r"(?<![A-Z])(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:UTC|GMT|Z))?)?"
# "14 September 2023", "September 14, 2023" and their abbreviated months, as references write them.
_WRITTEN_LAYOUTS = ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y")
DATE_IN_TEXT = re.compile(
    rf"{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}{_TIME}"
    rf"|\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}{_TIME}"
    r"|\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)


def parse_date(value: str | None) -> datetime | None:
    """Return ``value`` as an aware UTC datetime (naive times are taken as UTC), or None if it is no date."""
    if not value or not value.strip():
        return None
    parsed = _common_format(value.strip())
    if parsed is None:
        try:
            parsed = date_parser.parse(value.strip())
        except (date_parser.ParserError, OverflowError, ValueError):
            return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _common_format(value: str) -> datetime | None:
    """Parse ISO 8601 and the usual written forms directly; dateutil, which reads everything, is much slower."""
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    for layout in _WRITTEN_LAYOUTS:
        try:
            return datetime.strptime(value, layout)
        except ValueError:
            continue
    return None
