"""Decide what kind of body a response holds: the declared Content-Type, corrected by magic bytes."""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["html", "pdf", "text", "other"]

PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Declarations that say nothing about the body, so the bytes decide.
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/unknown"})
# The PDF header may follow up to 1 KiB of junk (ISO 32000-1, 7.5.2); readers accept that.
PDF_HEADER_WINDOW = 1024
_BINARY_MAGIC = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"RIFF", b"PK\x03\x04", b"\x1f\x8b",
    b"BM", b"II*\x00", b"MM\x00*", b"\x00\x00\x01\x00", b"OggS", b"ID3", b"%!PS", b"wOFF", b"wOF2",
)  # fmt: skip
_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|title|meta|script|div|p|h1|table)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)


def sniff_kind(body: bytes, content_type: str | None) -> Kind:
    """Return 'html', 'pdf', 'text' or 'other' for a body and its Content-Type header."""
    mime = media_type(content_type)
    head = body[:PDF_HEADER_WINDOW]
    if b"%PDF-" in head or mime in PDF_TYPES:
        return "pdf"
    if head.startswith(_BINARY_MAGIC):
        return "other"
    if mime in HTML_TYPES:
        return "html"
    if mime.startswith("text/"):
        return "text"
    if mime not in GENERIC_TYPES:
        return "other"
    if _HTML_START.match(_without_bom(head)):
        return "html"
    return "other" if b"\x00" in head else "text"


def media_type(content_type: str | None) -> str:
    """Return the lower-cased media type of a Content-Type header, without parameters ('' when absent)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def _without_bom(head: bytes) -> bytes:
    """Drop a UTF-8 byte order mark so sniffing sees the first real character."""
    return head.removeprefix(b"\xef\xbb\xbf")
