"""Read a plain-text article: its text, source list and metadata (title, byline, date)."""

from __future__ import annotations

import re

from crawler.dates import as_utc
from crawler.ingest.dates import DATE_IN_TEXT
from crawler.ingest.parts import ArticleParts
from crawler.ingest.references import find_reference_heading, find_viewpoint_labels, parse_text_references

_BYLINE = re.compile(r"^\s*By\s+(\S.{0,120}?)\s*$")
_HEADER_LINES = 20
_MAX_TITLE = 200


def parse_text(text: str) -> ArticleParts:
    """Return the parts of a plain-text article; claims are looked for before its source list."""
    heading = find_reference_heading(text)
    body_end = len(text) if heading is None else heading
    references = ()
    if heading is not None:
        references = tuple(parse_text_references(text[heading:], find_viewpoint_labels(text)))
    lines = [line.strip() for line in text[:body_end].splitlines() if line.strip()][:_HEADER_LINES]
    byline_index = next((index for index, line in enumerate(lines) if _BYLINE.match(line)), None)
    byline = _BYLINE.match(lines[byline_index]).group(1) if byline_index is not None else None
    date = DATE_IN_TEXT.search("\n".join(lines))
    return ArticleParts(
        text=text,
        body_end=body_end,
        references=references,
        title=_title(lines, byline_index),
        byline=byline,
        publisher=None,
        published=as_utc(date.group(0)) if date else None,
    )


def _title(lines: list[str], byline_index: int | None) -> str | None:
    """Return the headline: the last unpunctuated line above the byline, else the first line."""
    for line in reversed(lines[:byline_index] if byline_index else []):
        if len(line) <= _MAX_TITLE and not line.endswith((".", "!", "?", "]")):
            return line
    return lines[0][:_MAX_TITLE] if lines else None
