"""``LeaseScheduler``: scrapy-redis's scheduler over ``LeaseQueue``, with heartbeats, a reaper and acknowledgements."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.redisqueue.queue import LeaseQueue

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
# Sent by ``LeasedStorePipeline`` once the checks of these leases are written (or refused for good).
checks_stored = object()
# A worker that has not renewed its heartbeat for this many beats is dead: its leases go back on the queue.
BEATS_TO_LIVE = 3


class LeaseScheduler(Scheduler):
    """scrapy-redis's ``Scheduler`` (``SCHEDULER_PERSIST`` on, its ``RFPDupeFilter``) for ``citetrack worker``.

    Every ``CITETRACK_WORKER_HEARTBEAT_SECONDS`` it renews this worker's heartbeat and reaps dead workers'
    leases (also when it opens). On ``checks_stored`` it acknowledges the leases and drops their fingerprints
    from the dupefilter, so a later ``crawl --redis`` may queue those sources again. It keeps the spider open
    while the queue is empty, unless ``CITETRACK_WORKER_EXIT_IDLE`` > 0: then it lets the spider finish once
    the queue and every other worker's leases have stayed empty that many seconds. On close it puts its own
    unacknowledged leases back. Stats: ``citetrack/queue/{acked, reaped, released, lapsed}``.
    """

    queue: LeaseQueue

    def __init__(self, server: Any, *, heartbeat: float = 10.0, exit_idle: float = 0.0, **kwargs: Any) -> None:
        super().__init__(server, **kwargs)
        self.heartbeat = heartbeat
        self.exit_idle = exit_idle
        self.idle_since: float | None = None
        self.beating: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the scheduler from scrapy-redis's settings and ours; connect to ``checks_stored`` and idling."""
        settings = crawler.settings
        base = Scheduler.from_settings(settings)
        scheduler = cls(
            base.server, heartbeat=settings.getfloat("CITETRACK_WORKER_HEARTBEAT_SECONDS"),
            exit_idle=settings.getfloat("CITETRACK_WORKER_EXIT_IDLE"), persist=base.persist,
            queue_key=base.queue_key, queue_cls=base.queue_cls, dupefilter=base.df, dupefilter_key=base.dupefilter_key,
            dupefilter_cls=base.dupefilter_cls, serializer=base.serializer,
        )  # fmt: skip
        scheduler.stats = crawler.stats
        crawler.signals.connect(scheduler.acknowledge, signal=checks_stored)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Spider) -> None:
        """Open the queue and the dupefilter, announce this worker, reap dead workers' leases and start beating."""
        # Not scrapy-redis's open(): it logs through the deprecated Spider.log(); the rest is the same.
        self.spider = spider
        self.queue = load_object(self.queue_cls)(self.server, spider, self.queue_key, serializer=self.serializer)
        self.df = self.df or load_object(self.dupefilter_cls).from_spider(spider)
        self._beat()
        self.beating = task.LoopingCall(self._beat)
        self.beating.start(self.heartbeat, now=False)

    def close(self, reason: str) -> None:
        """Stop beating and put this worker's unacknowledged leases back on the queue."""
        if self.beating is not None and self.beating.running:
            self.beating.stop()
        released = self.queue.release()
        if released:
            logger.info("put %d unfinished sources back on the queue", released)
            self.stats.inc_value("citetrack/queue/released", released)
        super().close(reason)

    def next_request(self) -> Request | None:
        """Lease the next request; any work means the worker is not idle."""
        request = self.queue.pop()
        if request is not None:
            self.idle_since = None
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def acknowledge(self, leases: Sequence[str]) -> None:
        """Drop the stored leases from the processing list and their fingerprints from the dupefilter."""
        done = self.queue.ack(leases)
        if done:
            self.server.srem(self.df.key, *done)
            self.stats.inc_value("citetrack/queue/acked", len(done))

    def spider_idle(self) -> None:
        """Keep the worker open, unless it should exit: nothing left anywhere for ``exit_idle`` seconds."""
        now = time.monotonic()
        if self.exit_idle <= 0 or len(self.queue) or self.queue.others_busy():
            self.idle_since = None
            raise DontCloseSpider
        self.idle_since = self.idle_since or now
        if now - self.idle_since < self.exit_idle:
            raise DontCloseSpider

    def _beat(self) -> None:
        if self.queue.beat(self.heartbeat * BEATS_TO_LIVE):
            # Another worker may have put this one's leases back: those sources may be checked twice.
            logger.warning("this worker missed %d heartbeats; raise CITETRACK_WORKER_HEARTBEAT_SECONDS", BEATS_TO_LIVE)
            self.stats.inc_value("citetrack/queue/lapsed")
        reaped = self.queue.reap()
        if reaped:
            logger.info("put %d sources of stopped workers back on the queue", reaped)
            self.stats.inc_value("citetrack/queue/reaped", reaped)
