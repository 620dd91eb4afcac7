"""Where a date is written in article and reference text (``crawler.dates.as_utc`` parses what it finds)."""

from __future__ import annotations

import re

# Month names may be glued to a preceding word by the copy ("ExplainerJun 12, 2026").
_MONTH = (
    r"(?<![A-Z])(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:UTC|GMT|Z))?)?"
DATE_IN_TEXT = re.compile(
    rf"{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}{_TIME}"
    rf"|\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}{_TIME}"
    r"|\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
