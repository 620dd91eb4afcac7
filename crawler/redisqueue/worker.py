"""The shared queue's two ends: ``enqueue`` due sources (``crawl --redis``) and ``run_worker`` (``citetrack worker``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import TYPE_CHECKING, Any

from redis import Redis
from redis.exceptions import RedisError
from scrapy_redis.connection import get_redis
from scrapy_redis.dupefilter import RFPDupeFilter

from crawler.exceptions import QueueError, UsageError
from crawler.items import LEASE_META
from crawler.redisqueue.queue import LeaseQueue
from spiders.worker import WorkerSourcesSpider
from store.crawl import DueSource

if TYPE_CHECKING:
    from scrapy.settings import Settings

# Sources put on the queue per Redis round trip.
ENQUEUE_BATCH = 1000


def queue_keys(name: str) -> tuple[str, str]:
    """Return the Redis keys of queue ``name``'s requests and of its dupefilter."""
    if not name or "%" in name:
        raise UsageError(f"CITETRACK_REDIS_QUEUE={name!r}: expected a non-empty name without '%'")
    return f"{name}:requests", f"{name}:dupefilter"


def connect(redis_url: str) -> Redis:
    """Return a client of the Redis at ``redis_url`` after a ping; a bad URL is a usage error, no answer a failure."""
    try:
        server = get_redis(url=redis_url)
    except ValueError as error:
        raise UsageError(f"--redis {redis_url}: {error}") from None
    try:
        server.ping()
    except RedisError as error:
        raise QueueError(f"cannot reach Redis at {redis_url}: {error}") from None
    return server


def enqueue(redis_url: str, queue_name: str, due: Iterable[DueSource]) -> int:
    """Put the ``due`` sources not already pending on queue ``queue_name``; return how many were added.

    A source is pending from here until a worker stored its check: the dupefilter holds its request's
    fingerprint, which is also its lease, so running this twice never queues a source twice.
    """
    requests_key, dupefilter_key = queue_keys(queue_name)
    server = connect(redis_url)
    spider = WorkerSourcesSpider()
    queue = LeaseQueue(server, spider, requests_key)
    dupefilter = RFPDupeFilter(server, dupefilter_key)
    added = 0
    try:
        sources = iter(due)
        while chunk := list(islice(sources, ENQUEUE_BATCH)):
            requests = [spider.source_request(source) for source in chunk]
            for request in requests:
                request.meta[LEASE_META] = dupefilter.request_fingerprint(request)
            added += queue.offer(requests, [request.meta[LEASE_META] for request in requests], dupefilter_key)
    except RedisError as error:
        raise QueueError(f"Redis at {redis_url} failed after {added} sources were queued: {error}") from None
    finally:
        server.close()
    return added


def worker_settings(settings: Settings, redis_url: str) -> Settings:
    """Turn the crawl's settings into a worker's: scrapy-redis's scheduler over the lease queue, leased storing."""
    requests_key, dupefilter_key = queue_keys(settings.get("CITETRACK_REDIS_QUEUE"))
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    pipelines["crawler.pipelines.leased.LeasedStorePipeline"] = pipelines.pop("crawler.pipelines.store.StorePipeline")
    overrides: dict[str, Any] = {
        "SCHEDULER": "crawler.redisqueue.scheduler.LeaseScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.redisqueue.queue.LeaseQueue",
        "SCHEDULER_QUEUE_KEY": requests_key,
        "SCHEDULER_DUPEFILTER_KEY": dupefilter_key,
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # The queue outlives every worker: sources stay queued (or leased) when one stops.
        "SCHEDULER_PERSIST": True,
        "REDIS_URL": redis_url,
        "ITEM_PIPELINES": pipelines,
    }
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_worker(settings: Settings, on_item: Callable[[Any], None]) -> dict[str, Any]:
    """Run the ``sources_worker`` spider until it finishes or is stopped (SIGTERM, Ctrl-C); return its stats."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(WorkerSourcesSpider)
    crawler.signals.connect(on_item, signal=signals.item_scraped)
    process.crawl(crawler)
    process.start()
    return crawler.stats.get_stats()
