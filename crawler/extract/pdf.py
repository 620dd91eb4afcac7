"""PDF text and metadata with pypdfium2 (chosen over pypdf by benchmarks/eval_extract.py: see README)."""

from __future__ import annotations

import re
import unicodedata
from importlib.metadata import version

import pypdfium2 as pdfium

from crawler.dates import as_utc
from crawler.exceptions import ExtractionError
from crawler.extract.document import Document
from crawler.extract.sniff import PDF_HEADER_WINDOW

EXTRACTOR = f"pypdfium2 {version('pypdfium2')}"
# PDFium's FPDF_GetLastError codes (fpdfview.h) that deserve their own message.
_ERR_FORMAT, _ERR_PASSWORD, _ERR_SECURITY = 3, 4, 6
# PDFium joins a word hyphenated across a line break and leaves U+FFFE where the hyphen was.
_JOINED_HYPHEN = "\ufffe"
_LIGATURES = re.compile("[\ufb00-\ufb06]")


def extract_pdf(body: bytes, content_type: str | None = None, url: str | None = None) -> Document:
    """Return the text (pages separated by a blank line), title, author and creation date of a PDF."""
    pdf = _open(body)
    try:
        pages = [_page_text(pdf, index) for index in range(len(pdf))]
        metadata = pdf.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError as error:
        raise ExtractionError(f"corrupt PDF: {error}") from error
    finally:
        pdf.close()
    text = "\n\n".join(page for page in pages if page)
    if not text:
        detail = "PDF has no pages" if not pages else f"PDF has no text layer ({len(pages)} pages; scanned?)"
        return Document.empty("pdf", EXTRACTOR, detail)
    return Document(
        outcome="ok",
        text=text,
        title=metadata.get("Title") or None,
        author=metadata.get("Author") or None,
        published=as_utc(metadata.get("CreationDate")),
        kind="pdf",
        extractor=EXTRACTOR,
    )


def _open(body: bytes) -> pdfium.PdfDocument:
    """Open a PDF body, turning PDFium's failures into one-line ``ExtractionError`` messages."""
    if b"%PDF-" not in body[:PDF_HEADER_WINDOW]:
        raise ExtractionError(f"not a PDF: no %PDF- header in its first {PDF_HEADER_WINDOW} bytes")
    try:
        return pdfium.PdfDocument(body)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code in (_ERR_PASSWORD, _ERR_SECURITY):
            message = "encrypted PDF: a password is needed to read its text"
        elif code == _ERR_FORMAT and b"%%EOF" not in body[-1024:]:
            message = f"truncated PDF: no end-of-file marker after {len(body)} bytes"
        else:
            message = f"corrupt PDF: {error}"
        raise ExtractionError(message) from error


def _page_text(pdf: pdfium.PdfDocument, index: int) -> str:
    """Return one page's text with hyphenation undone, ligatures expanded and ``\\n`` line ends."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        raw = textpage.get_text_range()
        textpage.close()
    finally:
        page.close()
    text = raw.replace("\r\n", "\n").replace(_JOINED_HYPHEN, "")
    return _LIGATURES.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text).strip()
