"""The extraction result, and the dispatcher that turns any fetched body into one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from crawler.extract.sniff import Kind, media_type, sniff_kind

Outcome = Literal["ok", "empty", "unsupported"]


@dataclass(frozen=True)
class Document:
    """Text and metadata extracted from one body; ``detail`` says why it is empty or unsupported."""

    outcome: Outcome
    text: str
    title: str | None
    author: str | None
    published: datetime | None
    kind: Kind
    extractor: str
    detail: str | None = None

    @classmethod
    def empty(cls, kind: Kind, extractor: str, detail: str) -> Document:
        """Return a result with no text, saying why."""
        return cls("empty", "", None, None, None, kind, extractor, detail)


def extract_document(body: bytes, content_type: str | None, url: str | None = None) -> Document:
    """Return the text of a fetched body: HTML via trafilatura, PDF via pypdfium2, plain text as is.

    Raises ``ExtractionError`` for a PDF that cannot be read (truncated, encrypted, corrupt).
    """
    # Imported here because each extractor module imports Document from this one.
    from crawler.extract.html import extract_html
    from crawler.extract.pdf import extract_pdf
    from crawler.extract.plain import extract_text

    kind = sniff_kind(body, content_type)
    if kind == "other":
        declared = media_type(content_type) or "no Content-Type"
        return Document("unsupported", "", None, None, None, "other", "none", f"not text, HTML or PDF ({declared})")
    if not body.strip():
        return Document.empty(kind, "none", "empty body")
    extractors = {"html": extract_html, "pdf": extract_pdf, "text": extract_text}
    return extractors[kind](body, content_type, url)
