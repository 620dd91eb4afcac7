"""Record what each feed read found, once the articles spider closes."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from sqlalchemy.exc import SQLAlchemyError

from crawler.exceptions import error_line
from crawler.items import ArticlePageItem, FeedReadItem
from store.base import utcnow
from store.engine import session_factory
from store.feeds import FeedRead, record_feed_reads

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)
# Feeds whose read failed (or whose state the database refused): ``crawler.crawlrun`` then exits 1.
FAILED_STAT = "citetrack/feeds/failed"
# Close reason of a crawl that did all its work.
FINISHED = "finished"


@dataclass
class _FeedState:
    """One feed's reads in this run: the first (the feed itself), links found in all, the first error."""

    first: FeedReadItem
    checked_at: datetime
    entries: int | None
    error: str | None
    articles_failed: bool = False


class FeedStatePipeline:
    """Gather each feed's reads and its articles' outcomes; when the spider closes, store them on the feed.

    A feed's validators (ETag, Last-Modified) are kept only when the crawl finished, the feed and every sitemap
    it names were read, and every article it listed was fetched and ingested: otherwise the next run reads it
    in full and fetches again what was missed. Settings: ``CITETRACK_DB``. Stats: ``citetrack/feeds/{read,
    not_modified, failed}``.
    """

    def __init__(self, db_url: str, stats: StatsCollector) -> None:
        self.db_url = db_url
        self.stats = stats
        self.feeds: dict[int, _FeedState] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read the settings and connect to the spider's closing."""
        pipeline = cls(crawler.settings.get("CITETRACK_DB"), crawler.stats)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def process_item(self, item: Any) -> Any:
        """Note a feed read or a failed article of a feed; every item passes through."""
        if isinstance(item, FeedReadItem):
            self._add_read(item)
        elif isinstance(item, ArticlePageItem) and item.outcome == "failed" and item.feed_id in self.feeds:
            self.feeds[item.feed_id].articles_failed = True
        return item

    async def spider_closed(self, reason: str) -> None:
        """Store every feed's state in one transaction and count the feeds by status."""
        reads = [self._read(feed_id, state, complete=reason == FINISHED) for feed_id, state in self.feeds.items()]
        for read in reads:
            status = "failed" if read.error else "not_modified" if read.http_status == 304 else "read"
            self.stats.inc_value(f"citetrack/feeds/{status}")
        try:
            await asyncio.to_thread(self._store, reads)
        except SQLAlchemyError as error:
            logger.error("could not store the state of %d feeds: %s", len(reads), error_line(error))
            self.stats.set_value(FAILED_STAT, len(reads))

    def _add_read(self, item: FeedReadItem) -> None:
        state = self.feeds.get(item.feed_id)
        if state is None:
            self.feeds[item.feed_id] = _FeedState(item, utcnow(), item.entries, item.error)
            return
        state.entries = (state.entries or 0) + (item.entries or 0)
        state.error = state.error or (f"{item.url}: {item.error}" if item.error else None)

    def _read(self, feed_id: int, state: _FeedState, *, complete: bool) -> FeedRead:
        first = state.first
        keep = complete and state.error is None and not state.articles_failed
        return FeedRead(
            feed_id=feed_id, checked_at=state.checked_at, http_status=first.http_status, kind=first.kind,
            entries=state.entries, etag=first.etag if keep else None,
            last_modified=first.last_modified if keep else None, error=state.error,
        )  # fmt: skip

    def _store(self, reads: list[FeedRead]) -> None:
        with session_factory(self.db_url).begin() as session:
            record_feed_reads(session, reads)
