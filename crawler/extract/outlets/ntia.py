"""NTIA (a US government agency) report pages: the report is the PDF, among summaries, annexes and comments."""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.extract.outlets.base import Outlet

# Links that sit next to the report on agency pages but are not the report itself.
_SIDE_DOCUMENT = re.compile(
    r"summary|fact ?sheet|annex|appendix|appendices|comments?|federal register|notice|translation|press|slides",
    re.IGNORECASE,
)
_REPORT = re.compile(r"\b(full|final)?\s*report\b", re.IGNORECASE)


class NtiaReports(Outlet):
    """Follow the report's PDF from any agency page, preferring the report over summaries, annexes or comments.

    The generic path keeps the page when the document link's label says neither "download" nor "PDF" (agency
    pages label it with the document's title), and on a short page takes the first PDF-looking link, which is
    often an executive summary. Markup read: links in ``main``/``article`` to a ``.pdf`` path or with
    ``type="application/pdf"``; a label naming the report wins, one naming a side document is skipped.
    """

    name: ClassVar[str] = "ntia"
    domains: ClassVar[tuple[str, ...]] = ("ntia.gov", "ntia.doc.gov")

    def document_link(self, page: Selector, base_url: str) -> str | None:
        """Return the PDF link whose label names the report and no side document."""
        best: tuple[int, int, str] | None = None
        for position, anchor in enumerate(page.xpath("//main//a[@href] | //article//a[@href]")):
            url = urljoin(base_url, anchor.attrib["href"].strip())
            is_pdf = anchor.attrib.get("type", "").lower() == "application/pdf"
            if not (is_pdf or urlsplit(url).path.lower().endswith(".pdf")):
                continue
            label = " ".join(" ".join(anchor.xpath(".//text() | @title").getall()).split())
            score = (2 if _REPORT.search(label) else 0) - (3 if _SIDE_DOCUMENT.search(label) else 0)
            if score >= 0 and (best is None or (-score, position) < best[:2]):
                best = (-score, position, url)
        return best[2] if best else None
