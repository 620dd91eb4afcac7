"""The outlet adapter interface: pick the document link of a landing page, and cut a page down to its text."""

from __future__ import annotations

from typing import ClassVar

from parsel import Selector

from crawler.extract import landing


class Outlet:
    """Base adapter: behaves like the generic path; subclasses override what their outlet needs.

    ``document_link`` returns the URL whose body is the source's text (a report PDF) or None to keep the page;
    ``main_html`` returns the page reduced to its main text (head kept for metadata) or None to keep it whole.
    Both read markup only, so ``citetrack extract`` can re-apply them to stored bodies without Scrapy.
    """

    name: ClassVar[str] = ""
    domains: ClassVar[tuple[str, ...]] = ()

    def document_link(self, page: Selector, base_url: str) -> str | None:
        """Return the generic choice: the main document link of a short landing page."""
        return landing.document_link(page, base_url)

    def main_html(self, page: Selector) -> str | None:
        """Return None: the generic extractor sees the whole page."""
        return None


def reduced_page(page: Selector, fragments: list[str]) -> str:
    """Return an HTML document with the page's ``<head>`` and only ``fragments`` in its body."""
    head = page.xpath("//head").get() or "<head></head>"
    return f"<!DOCTYPE html><html>{head}<body><article>{''.join(fragments)}</article></body></html>"
