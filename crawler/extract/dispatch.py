"""The dispatcher: turn any fetched body into a ``Document`` with the extractor for its kind."""

from __future__ import annotations

from crawler.extract.document import Document
from crawler.extract.html import extract_html
from crawler.extract.pdf import extract_pdf
from crawler.extract.plain import extract_text
from crawler.extract.sniff import media_type, sniff_kind

EXTRACTORS = {"html": extract_html, "pdf": extract_pdf, "text": extract_text}

def extract_document(body: bytes, content_type: str | None, url: str | None = None) -> Document:
    """Return the text of a fetched body: HTML via trafilatura, PDF via pypdfium2, plain text as is.

    Raises ``ExtractionError`` for a PDF that cannot be read (truncated, encrypted, corrupt).
    """
    kind = sniff_kind(body, content_type)
    if kind == "other":
        declared = media_type(content_type) or "no Content-Type"
        return Document("unsupported", "", None, None, None, "other", "none", f"not text, HTML or PDF ({declared})")
    if not body.strip():
        return Document.empty(kind, "none", "empty body")
    return EXTRACTORS[kind](body, content_type, url)
