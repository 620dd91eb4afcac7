"""Judge each check: its outcome (fetched, unchanged, failed) and the source's health status, with evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.charset import decode_html
from crawler.extract import Document, sniff_kind
from crawler.health.outcome import FetchOutcome, HostProbe
from crawler.health.soft404 import SharedRedirects
from crawler.health.status import classify
from crawler.items import SourceCheckItem

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class HealthPipeline:
    """Set ``outcome`` and ``classification`` on each check, by the rules of ``crawler.health``.

    It judges what the extraction pipeline found (the new document, or the stored one of an unchanged body) and
    counts the cited URLs of this crawl that land on one page (a site-wide catch-all). It reads no setting and is
    never off: every stored check needs a status. Stats: ``citetrack/check/outcome/{fetched, unchanged, failed}``,
    ``citetrack/check/status/{status}``.
    """

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.shared = SharedRedirects()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the pipeline with the crawl's stats."""
        return cls(crawler.stats)

    def process_item(self, item: SourceCheckItem) -> SourceCheckItem:
        """Classify the check and count its outcome and status."""
        content = judged_content(item)
        fetch = FetchOutcome(
            url=item.url, final_url=item.final_url, http_status=content.judged_status,
            redirect_chain=item.redirect_chain, failure=item.failure, failure_detail=item.failure_detail,
            content_type=content.content_type, headers=item.headers, html=content.html, document=content.document,
            extraction_error=item.extracted.error if content.outcome == "fetched" and item.extracted else None,
            retries=item.retries,
        )  # fmt: skip
        probe = item.probe and HostProbe(item.probe.url, item.probe.http_status, item.probe.final_url, item.probe_text)
        item.outcome = content.outcome
        item.classification = classify(fetch, probe, shared_landings=self.shared.add(item.url, item.final_url))
        self.stats.inc_value(f"citetrack/check/outcome/{item.outcome}")
        self.stats.inc_value(f"citetrack/check/status/{item.classification.status}")
        return item


@dataclass(frozen=True)
class JudgedContent:
    """What one check's content amounts to: its outcome, the status the rules judge, and the text to judge."""

    outcome: str
    judged_status: int | None
    content_type: str | None
    html: str | None = None
    document: Document | None = None


def judged_content(item: SourceCheckItem) -> JudgedContent:
    """Return what the health rules judge: new content (extracted), unchanged content (stored), or neither."""
    state, status, content_type = item.body_state(), item.http_status, item.content_type
    if state == "not_modified" and item.stored is not None:
        # Not modified: the stored version is what the source still says, judged as the 200 it was.
        document, stored_body, stored_type = item.stored
        return JudgedContent("unchanged", 200, stored_type, _html(stored_body, stored_type), document)
    if state == "not_modified":
        return JudgedContent("unchanged", status, content_type)
    if state == "failed":
        html = _html(item.body, content_type) if item.failure is None and status is not None else None
        return JudgedContent("failed", status, content_type, html)
    html = _html(item.body, content_type)
    if state == "same_body":
        return JudgedContent("unchanged", status, content_type, html, item.stored[0] if item.stored else None)
    return JudgedContent("fetched", status, content_type, html, item.extracted.document if item.extracted else None)


def _html(body: bytes | None, content_type: str | None) -> str | None:
    """Decode an HTML body for the health rules (a page's markup says paywall, bot wall or "not found")."""
    if body and sniff_kind(body, content_type) == "html":
        return decode_html(body, content_type)
    return None
