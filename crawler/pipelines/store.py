"""Store each check: extract the body off the event loop, classify the source's health, write in batches."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from crawler.charset import decode_html
from crawler.exceptions import error_line
from crawler.extract import Document, sniff_kind
from crawler.extract.body import Extracted
from crawler.health.outcome import FetchOutcome, HealthStatus, HostProbe
from crawler.health.soft404 import SharedRedirects
from crawler.health.status import classify
from crawler.items import ProbeFetch, SourceCheckItem
from crawler.jobs.extract import stored_document
from crawler.pipelines.pool import ExtractionPool
from store.base import utcnow
from store.crawl import CheckRecord, record_checks
from store.engine import session_factory

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
# Checks the database refused even one by one; the crawl then exits 1 (``crawler.crawlrun``).
LOST_STAT = "citetrack/store/lost"


class StorePipeline:
    """Turn each ``SourceCheckItem`` into a stored check (and a snapshot when the content changed).

    Extraction runs in ``CITETRACK_EXTRACT_WORKERS`` processes, database writes in one thread, one transaction
    per ``CITETRACK_STORE_BATCH`` records, so downloads keep flowing. A crawl stopped before a batch is written
    leaves those sources unchecked, and the next run fetches them. Reads ``CITETRACK_DB``.
    """

    def __init__(self, db_url: str, workers: int = 0, batch_size: int = 50) -> None:
        self.db_url = db_url
        self.workers = workers
        self.batch_size = max(batch_size, 1)
        self.pending: list[CheckRecord] = []
        self.probes: dict[str, asyncio.Task[HostProbe]] = {}
        self.shared = SharedRedirects()
        self.crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read the pipeline's settings."""
        settings = crawler.settings
        pipeline = cls(
            settings.get("CITETRACK_DB"),
            settings.getint("CITETRACK_EXTRACT_WORKERS"),
            settings.getint("CITETRACK_STORE_BATCH"),
        )
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self) -> None:
        """Start the extraction workers and the database writer thread."""
        self.factory = session_factory(self.db_url)
        self.pool = ExtractionPool(self.workers)
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citetrack-store")

    async def close_spider(self) -> None:
        """Write what is pending, then stop the workers."""
        await self._flush()
        await asyncio.get_running_loop().run_in_executor(None, self.pool.close)
        self.writer.shutdown(wait=True)

    async def process_item(self, item: SourceCheckItem) -> SourceCheckItem:
        """Extract, classify and queue the check for writing; the body is dropped from the item afterwards."""
        record = await self._record(item)
        self.pending.append(record)
        if self.crawler is not None:
            self.crawler.stats.inc_value(f"citetrack/check/outcome/{record.outcome}")
            self.crawler.stats.inc_value(f"citetrack/check/status/{record.status}")
        if len(self.pending) >= self.batch_size:
            await self._flush()
        item.body, item.probe = None, None
        return item

    async def _record(self, item: SourceCheckItem) -> CheckRecord:
        """Build the record of one check: what changed, the extracted text, and the health status."""
        checked_at = utcnow()
        content = await self._content(item)
        probe = await self._probe(item.probe)
        fetch = FetchOutcome(
            url=item.url, final_url=item.final_url, http_status=content.judged_status,
            redirect_chain=item.redirect_chain, failure=item.failure, failure_detail=item.failure_detail,
            content_type=content.content_type, headers=item.headers, html=content.html, document=content.document,
            extraction_error=content.extracted.error if content.extracted else None, retries=item.retries,
        )  # fmt: skip
        health = classify(fetch, probe, shared_landings=self.shared.add(item.url, item.final_url))
        record = CheckRecord(
            source_id=item.source_id, checked_at=checked_at, outcome=content.outcome, status=health.status,
            evidence=_evidence(item, health, content.extracted), http_status=item.http_status,
            final_url=item.final_url, redirect_chain=item.redirect_chain, fetches=item.fetches,
            etag=item.headers.get("etag"), last_modified=item.headers.get("last-modified"),
            content_type=item.content_type,
            snapshot_id=item.previous_snapshot_id if content.outcome == "unchanged" else None,
        )  # fmt: skip
        if content.outcome == "fetched" and content.extracted is not None:
            record = _with_content(record, item, content.extracted)
        return record

    async def _content(self, item: SourceCheckItem) -> _Content:
        """Return what the health rules judge: new content (extracted), unchanged content (stored), or neither."""
        status, body = item.http_status, item.body
        if item.failure is not None or status is None:
            return _Content("failed", status, item.content_type)
        if status == 304 and item.previous_snapshot_id is not None:
            # Not modified: the stored version is what the source still says, judged as the 200 it was.
            stored = await self._in_writer(stored_document, item.previous_snapshot_id)
            if stored is not None:
                document, stored_body, content_type = stored
                return _Content("unchanged", 200, content_type, _html(stored_body, content_type), document)
        if status == 304:
            return _Content("unchanged", status, item.content_type)
        if not 200 <= status < 300 or body is None:
            return _Content("failed", status, item.content_type, _html(body, item.content_type))
        html = _html(body, item.content_type)
        if item.previous_snapshot_id is not None and hashlib.sha256(body).hexdigest() == item.previous_hash:
            stored = await self._in_writer(stored_document, item.previous_snapshot_id)
            return _Content("unchanged", status, item.content_type, html, stored[0] if stored else None)
        extracted = await self.pool.extract(body, item.content_type, item.final_url or item.url, item.outlet)
        return _Content("fetched", status, item.content_type, html, extracted.document, extracted)

    async def _probe(self, fetch: ProbeFetch | None) -> HostProbe | None:
        """Return the host's probe, extracting its text once per crawl however many pages share it."""
        if fetch is None:
            return None
        if fetch.host not in self.probes:
            self.probes[fetch.host] = asyncio.ensure_future(self._probe_text(fetch))
        return await self.probes[fetch.host]

    async def _probe_text(self, fetch: ProbeFetch) -> HostProbe:
        text = None
        if fetch.body and fetch.http_status is not None and fetch.http_status < 300:
            extracted = await self.pool.extract(fetch.body, fetch.content_type, fetch.final_url or fetch.url, None)
            text = extracted.document.text if extracted.document else None
        return HostProbe(fetch.url, fetch.http_status, fetch.final_url, text)

    async def _flush(self) -> None:
        """Write the pending records in one transaction; if it fails, write them one by one.

        A record the database still refuses is lost for this run (its source stays due): one log line each,
        counted in the ``citetrack/store/lost`` stat, and the crawl exits 1. The other records are kept.
        """
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            await self._in_writer(record_checks, batch)
            return
        except SQLAlchemyError as error:
            logger.warning("writing %d checks at once failed (%s); writing them one by one", len(batch), error_line(error))
        for record in batch:
            try:
                await self._in_writer(record_checks, [record])
            except SQLAlchemyError as error:
                logger.error("could not store the check of source %s: %s", record.source_id, error_line(error))
                if self.crawler is not None:
                    self.crawler.stats.inc_value(LOST_STAT)

    async def _in_writer(self, function: Any, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.writer, self._transaction, function, *args)

    def _transaction(self, function: Any, *args: Any) -> Any:
        with self.factory.begin() as session:
            return function(session, *args)


def _with_content(record: CheckRecord, item: SourceCheckItem, extracted: Extracted) -> CheckRecord:
    """Attach the body and the extracted text to a record that makes a new snapshot."""
    document = extracted.document
    return replace(
        record,
        content_hash=extracted.content_hash,
        body_size=len(item.body or b""),
        body_gzip=extracted.body_gzip,
        text=document.text if document else None,
        title=document.title if document else None,
        author=document.author if document else None,
        published_at=document.published if document else None,
        extractor=document.extractor if document else None,
    )


@dataclass(frozen=True)
class _Content:
    """What one check's content amounts to: its outcome, the status the rules judge, and the text to judge."""

    outcome: str
    judged_status: int | None
    content_type: str | None
    html: str | None = None
    document: Document | None = None
    extracted: Extracted | None = None


def _html(body: bytes | None, content_type: str | None) -> str | None:
    """Decode an HTML body that is not extracted now (an error page, an unchanged page) for the health rules."""
    if body and sniff_kind(body, content_type) == "html":
        return decode_html(body, content_type)
    return None


def _evidence(item: SourceCheckItem, health: HealthStatus, extracted: Extracted | None) -> dict[str, Any]:
    """Return the check's evidence: the health rule's, plus retries, redirects and extraction problems."""
    evidence = dict(health.evidence)
    if item.retries:
        evidence["retries"] = item.retries
    if item.redirect_chain:
        evidence["redirect_chain"] = item.redirect_chain
    if item.retry_after is not None:
        evidence["retry_after"] = item.retry_after
    if item.http_status == 304:
        evidence["http_status"] = 304
    if extracted is not None and extracted.error:
        evidence["extraction_error"] = extracted.error
    return evidence
