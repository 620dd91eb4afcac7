"""What the HTML and text readers hand to ``parse_article``, and the pattern of a date in article text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from crawler.ingest.references import ParsedReference

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


@dataclass(frozen=True)
class ArticleParts:
    """An article read from HTML or text: its text, where its body ends, its sources and metadata."""

    text: str
    body_end: int
    references: tuple[ParsedReference, ...]
    title: str | None
    byline: str | None
    publisher: str | None
    published: datetime | None
