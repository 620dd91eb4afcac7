"""Store checks as ``StorePipeline`` does, then acknowledge their leases on the shared queue (``citetrack worker``)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from scrapy import signals

from crawler.items import SourceCheckItem
from crawler.pipelines.store import StorePipeline, due_policy
from crawler.redisqueue.scheduler import checks_stored

if TYPE_CHECKING:
    from typing import Self

    from crawler.health.schedule import DuePolicy

    from scrapy.crawler import Crawler
    from scrapy.signalmanager import SignalManager
    from scrapy.statscollectors import StatsCollector


class LeasedStorePipeline(StorePipeline):
    """``StorePipeline`` that sends ``checks_stored`` with the leases of each batch once it is written.

    A lease is acknowledged only after its check's transaction committed (or the database refused the check
    for good: its source then stays due), so a worker killed before that leaves the source on its processing
    list, and another worker does it again. A worker that runs out of work writes its partial batch at once
    (``spider_idle``): its leases would otherwise keep every other worker waiting. Reads the settings of
    ``StorePipeline``.
    """

    def __init__(
        self, db_url: str, batch_size: int, stats: StatsCollector, policy: DuePolicy, signals: SignalManager
    ) -> None:
        super().__init__(db_url, batch_size, stats, policy)
        self.signals = signals
        self.pending_leases: list[str] = []
        self.flushing: asyncio.Future[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read the store's settings; send acknowledgements through the crawler's signals."""
        settings = crawler.settings
        pipeline = cls(
            settings.get("CITETRACK_DB"), settings.getint("CITETRACK_STORE_BATCH"), crawler.stats, due_policy(settings),
            crawler.signals,
        )  # fmt: skip
        crawler.signals.connect(pipeline.spider_idle, signal=signals.spider_idle)
        return pipeline

    def spider_idle(self) -> None:
        """Write the partial batch now that no more work is coming."""
        if self.pending_leases and (self.flushing is None or self.flushing.done()):
            self.flushing = asyncio.ensure_future(self._flush())

    async def close_spider(self) -> None:
        """Let a partial batch being written finish (its leases are acknowledged), then close as ``StorePipeline``."""
        if self.flushing is not None:
            await self.flushing
        await super().close_spider()

    async def process_item(self, item: SourceCheckItem) -> SourceCheckItem:
        """Remember the item's lease, then queue its check as ``StorePipeline`` does."""
        if item.lease is not None:
            self.pending_leases.append(item.lease)
        return await super().process_item(item)

    async def _flush(self) -> None:
        """Write the pending checks, then acknowledge their leases."""
        # Taken before the first await, as the parent takes its pending records: the two lists stay in step.
        leases, self.pending_leases = self.pending_leases, []
        await super()._flush()
        if leases:
            self.signals.send_catch_log(checks_stored, leases=leases)
