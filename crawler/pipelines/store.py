"""Store each judged check (and a snapshot when the content changed), in batches, one transaction each."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from crawler.exceptions import error_line
from crawler.extract.body import stored_body
from crawler.health.outcome import Classification
from crawler.health.schedule import DuePolicy
from crawler.items import SourceCheckItem
from crawler.jobs.schedule import record_checks_on_schedule
from crawler.pipelines.storethread import StoreThread
from store.base import utcnow
from store.crawl import CheckRecord

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)
# Checks the database refused even one by one; the crawl then exits 1 (``crawler.crawlrun``).
LOST_STAT = "citetrack/store/lost"


class StorePipeline:
    """Turn each judged ``SourceCheckItem`` into a stored check (and a snapshot when the content changed).

    Writes go to ``CITETRACK_DB`` from one thread, one transaction per ``CITETRACK_STORE_BATCH`` records, so
    downloads keep flowing; each check sets when its source is due again (the due policy: ``CITETRACK_RECHECK_DAYS``,
    ``CITETRACK_RECHECK_DAYS_BY_HOST``, ``CITETRACK_CONFIRM_SPACING_DAYS``). A crawl stopped before a batch is written leaves those sources unchecked, and the
    next run fetches them. Never off: storing the checks is what the crawl is for. Stats:
    ``citetrack/store/{checks, batches, lost}``.
    """

    def __init__(self, db_url: str, batch_size: int, stats: StatsCollector, policy: DuePolicy) -> None:
        self.db_url = db_url
        self.batch_size = max(batch_size, 1)
        self.stats = stats
        self.policy = policy
        self.pending: list[CheckRecord] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read the pipeline's settings."""
        settings = crawler.settings
        return cls(settings.get("CITETRACK_DB"), settings.getint("CITETRACK_STORE_BATCH"), crawler.stats, due_policy(settings))

    def open_spider(self) -> None:
        """Start the database writer thread."""
        self.store = StoreThread(self.db_url)

    async def close_spider(self) -> None:
        """Write what is pending, then stop the writer."""
        await self._flush()
        self.store.close()

    async def process_item(self, item: SourceCheckItem) -> SourceCheckItem:
        """Queue the check for writing (a batch is written when full); the bodies are dropped from the item."""
        self.pending.append(check_record(item))
        if len(self.pending) >= self.batch_size:
            await self._flush()
        item.body, item.probe, item.extracted, item.stored = None, None, None, None
        return item

    async def _flush(self) -> None:
        """Write the pending records in one transaction; if it fails, write them one by one.

        A record the database still refuses is lost for this run (its source stays due): one log line each,
        counted in the ``citetrack/store/lost`` stat, and the crawl exits 1. The other records are kept.
        """
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            await self.store.run(record_checks_on_schedule, batch, self.policy)
            self.stats.inc_value("citetrack/store/batches")
            self.stats.inc_value("citetrack/store/checks", len(batch))
            return
        except SQLAlchemyError as error:
            logger.warning("writing %d checks at once failed (%s); writing them one by one", len(batch), error_line(error))
        for record in batch:
            try:
                await self.store.run(record_checks_on_schedule, [record], self.policy)
                self.stats.inc_value("citetrack/store/checks")
            except SQLAlchemyError as error:
                logger.error("could not store the check of source %s: %s", record.source_id, error_line(error))
                self.stats.inc_value(LOST_STAT)


def check_record(item: SourceCheckItem) -> CheckRecord:
    """Return what to store for one judged check: the check, and the body and text when they are new."""
    if item.outcome is None or item.classification is None:
        raise ValueError(f"check of {item.url} reached the store unjudged: enable crawler.pipelines.health")
    record = CheckRecord(
        source_id=item.source_id, checked_at=utcnow(), outcome=item.outcome, status=item.classification.status,
        evidence=_evidence(item, item.classification), http_status=item.http_status,
        final_url=item.final_url, redirect_chain=item.redirect_chain, fetches=item.fetches,
        etag=item.headers.get("etag"), last_modified=item.headers.get("last-modified"),
        content_type=item.content_type,
        snapshot_id=item.previous_snapshot_id if item.outcome == "unchanged" else None,
    )  # fmt: skip
    return _with_content(record, item) if item.outcome == "fetched" else record


def _with_content(record: CheckRecord, item: SourceCheckItem) -> CheckRecord:
    """Attach the body and the extracted text (none when extraction is off) to a record that makes a snapshot."""
    body = item.body or b""
    extracted = item.extracted
    body_gzip, content_hash = (extracted.body_gzip, extracted.content_hash) if extracted else stored_body(body)
    document = extracted.document if extracted else None
    return replace(
        record,
        content_hash=content_hash,
        body_size=len(body),
        body_gzip=body_gzip,
        text=document.text if document else None,
        title=document.title if document else None,
        author=document.author if document else None,
        published_at=document.published if document else None,
        extractor=document.extractor if document else None,
    )


def _evidence(item: SourceCheckItem, health: Classification) -> dict[str, Any]:
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
    if item.outcome == "fetched" and item.extracted is not None and item.extracted.error:
        evidence["extraction_error"] = item.extracted.error
    return evidence


def due_policy(settings: BaseSettings) -> DuePolicy:
    """Return the due policy that schedules each checked source's next check, from the crawl's settings."""
    return DuePolicy.from_values(
        settings.getfloat("CITETRACK_RECHECK_DAYS"),
        settings.getfloat("CITETRACK_CONFIRM_SPACING_DAYS"),
        settings.getdict("CITETRACK_RECHECK_DAYS_BY_HOST"),
    )
