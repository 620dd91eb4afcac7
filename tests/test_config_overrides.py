"""Every ``CITETRACK_*`` setting README says ``-s`` sets is read from the crawl's Scrapy settings by the component
that uses it: given with ``-s``, it is the value that component sees (``test_config`` checks -s beats the
environment)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from crawler import config
from crawler.extensions.healthpass import HealthPassExtension
from crawler.middlewares.netguard import PrivateAddressMiddleware
from crawler.middlewares.retry import RetryAfterMiddleware
from crawler.pipelines.extraction import ExtractionPipeline
from crawler.pipelines.store import StorePipeline
from crawler.redisqueue.scheduler import LeaseScheduler
from crawler.redisqueue.worker import queue_keys
from spiders.sources import SourcesSpider

DB = "sqlite:///from-the-db-option.db"


def crawler_with(override: str) -> Any:
    settings = config.crawl_settings([override], DB)
    config.EnvironmentSettings().update_settings(settings)
    # Only the values under test: the project's reactor and components are not needed to build one component.
    values = {name: value for name, value in settings.copy_to_dict().items() if name.startswith(config.PREFIX)}
    return get_crawler(SourcesSpider, {**values, "USER_AGENT": settings["USER_AGENT"]})


def store(crawler: Any) -> StorePipeline:
    return StorePipeline.from_crawler(crawler)


def lease_scheduler(crawler: Any) -> LeaseScheduler:
    """The worker's scheduler over the same settings (``citetrack worker`` adds scrapy-redis's dupefilter)."""
    worker_values = {**crawler.settings.copy_to_dict(), "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter"}
    with warnings.catch_warnings():  # scrapy-redis 0.9.1 still passes redis-py 6 its deprecated retry_on_timeout
        warnings.filterwarnings("ignore", "Call to '__init__' function with deprecated usage", DeprecationWarning)
        return LeaseScheduler.from_crawler(get_crawler(SourcesSpider, worker_values))


# Each setting, a value given with -s, and what the component reading it sees.
SEEN: dict[str, tuple[str, Callable[[Any], Any], Any]] = {
    "CITETRACK_CONTACT_URL": ("https://news.example/bot", lambda c: "(+https://news.example/bot;" in c.settings["USER_AGENT"], True),
    "CITETRACK_ALLOW_PRIVATE": ("1", lambda c: PrivateAddressMiddleware.from_crawler(c).policy.allow_private, True),
    "CITETRACK_ALLOW_HOSTS": ("a.test:81", lambda c: PrivateAddressMiddleware.from_crawler(c).policy.allow_hosts, {"a.test:81"}),
    "CITETRACK_RECHECK_DAYS": ("9", lambda c: store(c).policy.recheck, timedelta(days=9)),
    "CITETRACK_RECHECK_DAYS_BY_HOST": ('{"a.test": 2}', lambda c: store(c).policy.by_host, {"a.test": timedelta(days=2)}),
    "CITETRACK_CONFIRM_SPACING_DAYS": ("0.5", lambda c: HealthPassExtension.from_crawler(c).confirmation.min_spacing,
                                       timedelta(days=0.5)),
    "CITETRACK_CONFIRM_CHECKS": ("6", lambda c: HealthPassExtension.from_crawler(c).confirmation.required_checks, 6),
    "CITETRACK_HEALTH_PASS_ENABLED": ("0", lambda c: c.settings.getbool("CITETRACK_HEALTH_PASS_ENABLED"), False),
    "CITETRACK_RETRY_BACKOFF_BASE": ("4", lambda c: RetryAfterMiddleware.from_crawler(c).backoff_base, 4.0),
    "CITETRACK_RETRY_BACKOFF_MAX": ("8", lambda c: RetryAfterMiddleware.from_crawler(c).backoff_max, 8.0),
    "CITETRACK_RETRY_AFTER_MAX": ("16", lambda c: RetryAfterMiddleware.from_crawler(c).retry_after_max, 16.0),
    "CITETRACK_EXTRACT_ENABLED": ("0", lambda c: c.settings.getbool("CITETRACK_EXTRACT_ENABLED"), False),
    "CITETRACK_EXTRACT_WORKERS": ("3", lambda c: ExtractionPipeline.from_crawler(c).workers, 3),
    "CITETRACK_STORE_BATCH": ("7", lambda c: store(c).batch_size, 7),
    "CITETRACK_OUTLET_URLS": ('{"ntia": ["http://x.test/"]}', lambda c: c.settings.getdict("CITETRACK_OUTLET_URLS"),
                              {"ntia": ["http://x.test/"]}),
    "CITETRACK_DUE_BATCH": ("11", lambda c: c.settings.getint("CITETRACK_DUE_BATCH"), 11),
    "CITETRACK_REDIS_QUEUE": ("newsroom", lambda c: queue_keys(c.settings["CITETRACK_REDIS_QUEUE"]),
                              ("newsroom:requests", "newsroom:dupefilter")),
    "CITETRACK_WORKER_HEARTBEAT_SECONDS": ("5", lambda c: lease_scheduler(c).heartbeat, 5.0),
    "CITETRACK_WORKER_EXIT_IDLE": ("3", lambda c: lease_scheduler(c).exit_idle, 3.0),
}
# Not read by a crawl: the store comes from --db (or -s, checked below), archives from ``broken``.
NOT_CRAWL = {"CITETRACK_DB", "CITETRACK_ARCHIVE_URL"}


def test_every_citetrack_setting_has_an_override_check() -> None:
    assert set(SEEN) | NOT_CRAWL == set(config.names())


@pytest.mark.parametrize("name", sorted(SEEN))
def test_an_override_reaches_the_component_that_reads_it(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for other in config.names():
        monkeypatch.delenv(other, raising=False)
    value, seen, expected = SEEN[name]
    result = seen(crawler_with(f"{name}={value}"))
    assert (set(result) if isinstance(result, frozenset) else result) == expected


def test_the_store_given_with_s_is_the_one_the_crawl_uses(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from crawler.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["crawl", "--due", "-s", f"CITETRACK_DB=sqlite:///{tmp_path / 'chosen.db'}"]) == 0
    assert (tmp_path / "chosen.db").exists() and not (tmp_path / "citetrack.db").exists()
