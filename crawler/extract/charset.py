"""Decode fetched bodies to text: BOM, then HTTP charset, then ``<meta>`` (HTML), then UTF-8, then cp1252."""

from __future__ import annotations

from w3lib.encoding import html_to_unicode, http_content_type_encoding, read_bom, resolve_encoding, to_unicode

# WHATWG: a page with no usable declaration that is not valid UTF-8 is read as windows-1252.
FALLBACK_ENCODING = "cp1252"


def decode_html(body: bytes, content_type: str | None) -> str:
    """Return the text of an HTML body, honouring BOM > header charset > ``<meta charset>`` > UTF-8 > cp1252."""
    _, text = html_to_unicode(content_type, body, default_encoding=FALLBACK_ENCODING, auto_detect_fun=_utf8_or_none)
    return text


def decode_text(body: bytes, content_type: str | None) -> str:
    """Return the text of a plain-text body, honouring BOM > header charset > UTF-8 > cp1252."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding is not None and bom is not None:
        return to_unicode(body[len(bom) :], bom_encoding)
    encoding = http_content_type_encoding(content_type) or _utf8_or_none(body) or FALLBACK_ENCODING
    return to_unicode(body, resolve_encoding(encoding) or encoding)


def _utf8_or_none(body: bytes) -> str | None:
    """Return ``'utf-8'`` when ``body`` is valid UTF-8, else None (the caller falls back)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "utf-8"
