"""Plain-text bodies: decoded with their charset and kept as they are."""

from __future__ import annotations

from crawler.charset import decode_text
from crawler.extract.document import Document

EXTRACTOR = "plain"


def extract_text(body: bytes, content_type: str | None, url: str | None = None) -> Document:
    """Return a plain-text body as a Document, line endings normalised to ``\\n``."""
    text = decode_text(body, content_type).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return Document.empty("text", EXTRACTOR, "only whitespace")
    return Document("ok", text, None, None, None, "text", EXTRACTOR)
