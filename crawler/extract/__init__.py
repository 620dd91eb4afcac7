"""Turn fetched bodies (HTML, PDF, plain text) into text and metadata; no Scrapy, no database."""

from crawler.extract.dispatch import extract_document
from crawler.extract.document import Document
from crawler.extract.sniff import sniff_kind

__all__ = ["Document", "extract_document", "sniff_kind"]
