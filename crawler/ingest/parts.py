"""What the HTML and text readers hand to ``parse_article``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crawler.ingest.references import ParsedReference


@dataclass(frozen=True)
class ArticleParts:
    """An article read from HTML or text: its text, where its body ends, its sources, metadata and warnings."""

    text: str
    body_end: int
    references: tuple[ParsedReference, ...]
    title: str | None
    byline: str | None
    publisher: str | None
    published: datetime | None
    warnings: tuple[str, ...] = ()
