"""A dependency-free writer of simple, valid text PDFs (Helvetica, several pages, wrapped lines)."""

from __future__ import annotations

import textwrap
from datetime import datetime

PAGE_WIDTH, PAGE_HEIGHT = 612, 792  # US Letter, in points
MARGIN = 72
FONT_SIZE = 10
LEADING = 13
WRAP_COLUMNS = 90  # a conservative fit for 10 pt Helvetica in 468 pt of line width
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LEADING
# Ligatures have no WinAnsi code: map them to spare codes named in the font's /Differences.
_LIGATURE_CODES = {"\ufb01": b"\x01", "\ufb02": b"\x02"}
_FONT = (
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding"
    b" /BaseEncoding /WinAnsiEncoding /Differences [1 /fi /fl] >> >>"
)


def write_pdf(
    pages: list[str] | str,
    title: str | None = None,
    *,
    author: str | None = None,
    created: datetime | None = None,
) -> bytes:
    """Return the bytes of a PDF with one or more pages of text; overlong pages continue on new pages."""
    page_texts = [pages] if isinstance(pages, str) else list(pages)
    page_lines = [chunk for text in page_texts or [""] for chunk in _paginate(_wrap(text))]
    objects: list[bytes] = [b"", b"", _FONT]  # catalog and page tree are filled in below
    page_ids = []
    for lines in page_lines:
        stream = _content_stream(lines)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >>"
            b" /Contents %d 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT, len(objects))
        )
        page_ids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = b" ".join(b"%d 0 R" % page_id for page_id in page_ids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    objects.append(_info(title, author, created))
    return _serialise(objects)


def _wrap(text: str) -> list[str]:
    """Split ``text`` on newlines and wrap each long line at word boundaries."""
    lines: list[str] = []
    for line in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(line, WRAP_COLUMNS, break_on_hyphens=False) or [""])
    return lines


def _paginate(lines: list[str]) -> list[list[str]]:
    """Cut ``lines`` into page-sized chunks."""
    return [lines[start : start + LINES_PER_PAGE] for start in range(0, len(lines), LINES_PER_PAGE)]


def _content_stream(lines: list[str]) -> bytes:
    """Return the page content stream drawing ``lines`` top-down."""
    top = PAGE_HEIGHT - MARGIN - FONT_SIZE
    shown = b"\n".join(b"(" + _pdf_text(line) + b") Tj T*" for line in lines)
    return b"BT /F1 %d Tf %d TL %d %d Td\n%s\nET" % (FONT_SIZE, LEADING, MARGIN, top, shown)


def _pdf_text(line: str) -> bytes:
    """Encode ``line`` for a WinAnsi literal string, escaping delimiters; unknown characters become '?'."""
    encoded = b"".join(_LIGATURE_CODES.get(char) or char.encode("cp1252", "replace") for char in line)
    return encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _info(title: str | None, author: str | None, created: datetime | None) -> bytes:
    """Return the document information dictionary."""
    entries = [b"/Producer " + _pdf_string("citetrack demo PDF writer")]
    if title:
        entries.append(b"/Title " + _pdf_string(title))
    if author:
        entries.append(b"/Author " + _pdf_string(author))
    if created:
        offset = created.strftime("%z") or "+0000"
        stamp = created.strftime("D:%Y%m%d%H%M%S") + f"{offset[:3]}'{offset[3:]}'"
        entries.append(b"/CreationDate " + _pdf_string(stamp))
    return b"<< " + b" ".join(entries) + b" >>"


def _pdf_string(value: str) -> bytes:
    """Return ``value`` as a UTF-16BE hex string, which any PDF reader decodes exactly."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _serialise(objects: list[bytes]) -> bytes:
    """Lay out numbered objects with an exact cross-reference table and trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)
