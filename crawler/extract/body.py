"""A fetched body as the crawl keeps it: its text through the outlet's adapter, gzip-compressed, and its hash."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass

from parsel import Selector

from crawler.charset import decode_html
from crawler.exceptions import ExtractionError
from crawler.extract.dispatch import extract_document
from crawler.extract.document import Document
from crawler.extract.outlets import get_outlet
from crawler.extract.sniff import sniff_kind

# Raw bodies are kept for re-extraction, not for archiving density: on aeb-dev pages (174 KB) level 1 takes
# 1.2 ms a page against 2.2 ms at level 5, for output 17% larger (23.5% of the raw size against 20.1%).
GZIP_LEVEL = 1


@dataclass(frozen=True)
class Extracted:
    """A body's extraction: the document (or why there is none), the gzipped body and its hash.

    The decoded HTML stays in the worker: sending it back would double what crosses the pipe, and the crawl
    process decodes a 66 KB UTF-8 page in about 0.01 ms, against 0.04 ms to pickle and unpickle its text.
    """

    document: Document | None
    error: str | None
    body_gzip: bytes
    content_hash: str


def extract_body(body: bytes, content_type: str | None, url: str, outlet: str | None) -> Extracted:
    """Extract one body (through its outlet adapter for HTML); runs in a worker process."""
    html = decode_html(body, content_type) if sniff_kind(body, content_type) == "html" else None
    try:
        document = extract_page(body, content_type, url, outlet, html)
        error = None
    except ExtractionError as failure:
        document, error = None, str(failure)
    return Extracted(document, error, *stored_body(body))


def stored_body(body: bytes) -> tuple[bytes, str]:
    """Return the body as stored (gzip) and its content hash."""
    return gzip.compress(body, GZIP_LEVEL), hashlib.sha256(body).hexdigest()


def extract_page(body: bytes, content_type: str | None, url: str, outlet: str | None, html: str | None) -> Document:
    """Return the document of a body, letting the outlet adapter cut an HTML page down to its main text first."""
    adapter = get_outlet(outlet)
    reduced = adapter.main_html(Selector(text=html)) if adapter is not None and html is not None else None
    if reduced is None:
        return extract_document(body, content_type, url)
    return extract_document(reduced.encode("utf-8"), "text/html; charset=utf-8", url)
