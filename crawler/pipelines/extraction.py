"""Give each check its document: a new body extracted in the pool, an unchanged one's stored extraction."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

from crawler.items import ProbeFetch, SourceCheckItem
from crawler.jobs.extract import stored_document
from crawler.pipelines.pool import ExtractionPool
from crawler.pipelines.storethread import StoreThread

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class ExtractionPipeline:
    """Set ``extracted`` on a check with a new body, ``stored`` on an unchanged one, and the host probe's text.

    Extraction (trafilatura, PDF parsing) runs in ``CITETRACK_EXTRACT_WORKERS`` processes (0: in the crawl
    process), so downloads go on meanwhile; a host probe's body is extracted once per crawl. Stored documents are
    read from ``CITETRACK_DB``. Off (``NotConfigured``) when ``CITETRACK_EXTRACT_ENABLED`` is false: bodies are then
    stored without text, which ``citetrack extract`` adds later. Stats: ``citetrack/extract/{extracted, failed,
    stored, probes}``.
    """

    def __init__(self, db_url: str, workers: int, stats: StatsCollector) -> None:
        self.db_url = db_url
        self.workers = workers
        self.stats = stats
        self.probes: dict[str, asyncio.Task[str | None]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read the settings; raise ``NotConfigured`` when extraction is off."""
        settings = crawler.settings
        if not settings.getbool("CITETRACK_EXTRACT_ENABLED"):
            raise NotConfigured("CITETRACK_EXTRACT_ENABLED is off: bodies are stored without text")
        return cls(settings.get("CITETRACK_DB"), settings.getint("CITETRACK_EXTRACT_WORKERS"), crawler.stats)

    def open_spider(self) -> None:
        """Start the extraction workers and the thread that reads stored documents."""
        self.pool = ExtractionPool(self.workers)
        self.store = StoreThread(self.db_url)

    async def close_spider(self) -> None:
        """Stop the workers and the thread."""
        await asyncio.get_running_loop().run_in_executor(None, self.pool.close)
        self.store.close()

    async def process_item(self, item: SourceCheckItem) -> SourceCheckItem:
        """Attach the check's document (new or stored) and the host probe's text."""
        state = item.body_state()
        if state == "new_body":
            assert item.body is not None
            item.extracted = await self.pool.extract(item.body, item.content_type, item.final_url or item.url, item.outlet)
            self.stats.inc_value("citetrack/extract/failed" if item.extracted.error else "citetrack/extract/extracted")
        elif state in ("not_modified", "same_body") and item.previous_snapshot_id is not None:
            item.stored = await self.store.run(stored_document, item.previous_snapshot_id)
            self.stats.inc_value("citetrack/extract/stored")
        if item.probe is not None:
            item.probe_text = await self._probe_text(item.probe)
        return item

    async def _probe_text(self, probe: ProbeFetch) -> str | None:
        """Return the text of the host's answer for a random path, extracted once per crawl however many share it."""
        if probe.host not in self.probes:
            self.probes[probe.host] = asyncio.ensure_future(self._extract_probe(probe))
        return await self.probes[probe.host]

    async def _extract_probe(self, probe: ProbeFetch) -> str | None:
        if not probe.body or probe.http_status is None or probe.http_status >= 300:
            return None
        extracted = await self.pool.extract(probe.body, probe.content_type, probe.final_url or probe.url, None)
        self.stats.inc_value("citetrack/extract/probes")
        return extracted.document.text if extracted.document else None
