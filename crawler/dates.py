"""Dates as aware UTC datetimes: one parser for article and page metadata and PDF creation dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from dateutil import parser as date_parser

# "14 September 2023", "September 14, 2023" and their abbreviated months, as references write them.
_WRITTEN_LAYOUTS = ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y")
# PDF dates (ISO 32000-1, 7.9.4): ``D:YYYYMMDDHHmmSS`` then ``Z`` or an offset ``+HH'mm'``; all but the year optional.
_PDF_DATE = re.compile(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:([+-])(\d\d)'?(\d\d)?'?)?")


def as_utc(value: str | None) -> datetime | None:
    """Parse a date (ISO 8601, RFC 2822, "June 12, 2026", a PDF ``D:`` date …) into an aware UTC datetime.

    A date without a zone is taken as UTC; None when ``value`` is empty or no date.
    """
    text = (value or "").strip()
    if not text:
        return None
    if text.startswith("D:"):
        return _pdf_date(text)
    parsed = _common_format(text)
    if parsed is None:
        try:
            parsed = date_parser.parse(text)
        except (ValueError, OverflowError):
            return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _common_format(text: str) -> datetime | None:
    """Parse ISO 8601 and the usual written forms directly; dateutil, which reads everything, is much slower."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for layout in _WRITTEN_LAYOUTS:
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            continue
    return None


def _pdf_date(text: str) -> datetime | None:
    match = _PDF_DATE.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, sign, off_h, off_m = match.groups()
    zone = UTC
    if sign:
        offset = timedelta(hours=int(off_h), minutes=int(off_m or 0))
        zone = timezone(-offset if sign == "-" else offset)
    try:
        local = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                         int(second or 0), tzinfo=zone)  # fmt: skip
    except ValueError:
        return None
    return local.astimezone(UTC)
