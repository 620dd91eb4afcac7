"""Ingest each article page the articles spider fetched, through the same job as ``citetrack ingest URL``."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from crawler.exceptions import CitetrackError, error_line
from crawler.items import ArticlePageItem
from crawler.jobs.ingest import fetched_article, ingest
from store.engine import session_factory

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)
# Stats key prefix of the articles' outcomes (``citetrack/discover/articles/new``, …).
STATS_PREFIX = "citetrack/discover/articles/"


class ArticleIngestPipeline:
    """Ingest each fetched ``ArticlePageItem`` (``crawler.jobs.ingest``), one transaction per article.

    Unchanged text from the same URL stores nothing (``unchanged``); changed text becomes a new version
    (``changed``); a first ingestion is ``new``. An article that cannot be parsed or stored is ``failed`` with
    the reason. Ingestion runs on one thread, so downloads go on meanwhile. Settings: ``CITETRACK_DB``,
    ``DOWNLOAD_MAXSIZE``. Stats: ``citetrack/discover/articles/{new, changed, unchanged, failed}``.
    """

    def __init__(self, db_url: str, max_bytes: int, stats: StatsCollector) -> None:
        self.db_url = db_url
        self.max_bytes = max_bytes
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read the pipeline's settings."""
        settings = crawler.settings
        return cls(settings.get("CITETRACK_DB"), settings.getint("DOWNLOAD_MAXSIZE"), crawler.stats)

    def open_spider(self) -> None:
        """Open the store and start the ingest thread."""
        self.factory = session_factory(self.db_url)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citetrack-ingest")

    def close_spider(self) -> None:
        """Stop the thread (every item has been processed by now)."""
        self.executor.shutdown(wait=True)

    async def process_item(self, item: Any) -> Any:
        """Ingest an article page and set its outcome; other items pass through."""
        if not isinstance(item, ArticlePageItem):
            return item
        if item.error is None and item.body is not None:
            await self._ingest(item)
        item.outcome = item.outcome or "failed"
        item.body = None
        self.stats.inc_value(STATS_PREFIX + item.outcome)
        return item

    async def _ingest(self, item: ArticlePageItem) -> None:
        article = fetched_article(item.body or b"", item.final_url or item.url, item.content_type)
        loop = asyncio.get_running_loop()
        try:
            summary, _ = await loop.run_in_executor(self.executor, ingest, self.factory, article, self.max_bytes)
        except CitetrackError as error:
            item.error = str(error)
            return
        except SQLAlchemyError as error:
            item.error = f"the database refused it: {error_line(error)}"
            logger.error("could not store the article %s: %s", item.url, error_line(error))
            return
        item.article_id, item.version, item.references = summary["article_id"], summary["version"], summary["references"]
        if not summary["created"]:
            item.outcome = "unchanged"
        else:
            item.outcome = "new" if summary["version"] == 1 else "changed"
