"""Decode bodies to text in the WHATWG order: BOM, HTTP charset, ``<meta>`` (HTML), UTF-8, then windows-1252.

One decoder for articles, sources and archived copies. Labels are read the way browsers read them (w3lib's
WHATWG handling), so ``iso-8859-1`` is decoded as windows-1252.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, to_unicode

# WHATWG: a body with no usable declaration that is not valid UTF-8 is read as windows-1252.
FALLBACK_ENCODING = "cp1252"
Errors = Literal["replace", "strict"]
DeclaredBy = Literal["bom", "header", "meta", "utf-8", "fallback"]


@dataclass(frozen=True)
class Decoded:
    """A body's text, the encoding it was read with, and what chose that encoding."""

    text: str
    encoding: str
    declared_by: DeclaredBy


def decode(body: bytes, content_type: str | None, *, html: bool = True, errors: Errors = "replace") -> Decoded:
    """Return the text of ``body``; ``html`` also honours ``<meta charset>``, ``errors="strict"`` raises on bad bytes.

    With ``strict``, bytes the chosen encoding cannot read raise ``UnicodeDecodeError``; with ``replace`` they
    become U+FFFD, as in a browser.
    """
    bom_encoding, bom = read_bom(body)
    if bom_encoding is not None and bom is not None:
        return Decoded(_decode(body[len(bom) :], bom_encoding, errors), bom_encoding, "bom")
    for declared_by, encoding in (
        ("header", http_content_type_encoding(content_type)),
        ("meta", html_body_declared_encoding(body) if html else None),
    ):
        if encoding is not None:
            encoding = f"{encoding}-be" if encoding in ("utf-16", "utf-32") else encoding
            return Decoded(_decode(body, encoding, errors), encoding, declared_by)  # type: ignore[arg-type]
    try:
        return Decoded(body.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        return Decoded(_decode(body, FALLBACK_ENCODING, errors), FALLBACK_ENCODING, "fallback")


def decode_html(body: bytes, content_type: str | None) -> str:
    """Return the text of an HTML body (BOM > header charset > ``<meta charset>`` > UTF-8 > windows-1252)."""
    return decode(body, content_type).text


def decode_text(body: bytes, content_type: str | None) -> str:
    """Return the text of a plain-text body (BOM > header charset > UTF-8 > windows-1252)."""
    return decode(body, content_type, html=False).text


def _decode(body: bytes, encoding: str, errors: Errors) -> str:
    return to_unicode(body, encoding) if errors == "replace" else body.decode(encoding, "strict")
