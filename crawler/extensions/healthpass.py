"""Run the health pass when a crawl ends, so ``scrapy crawl`` and Scrapyd jobs do the whole job too."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.health.flags import Confirmation
from store.base import utcnow
from store.engine import session_factory

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

# Stats key prefix of the pass's counts (``citetrack/health/confirmed``, …); ``crawler.crawlrun`` reports them.
STATS_PREFIX = "citetrack/health/"


class HealthPassExtension:
    """When the spider closes (finished or stopped), pass over this crawl's checks: flags, site-wide redirects, drift.

    Runs after the item pipelines have written their last batch, in a thread, in one transaction
    (``crawler.jobs.healthpass``). Settings: ``CITETRACK_HEALTH_PASS_ENABLED`` (off: ``NotConfigured``),
    ``CITETRACK_DB``, ``CITETRACK_CONFIRM_CHECKS``, ``CITETRACK_CONFIRM_SPACING_DAYS``. Stats:
    ``citetrack/health/{shared_redirect, confirmed, unconfirmed, drifted}`` and ``citetrack/health/seconds``.
    """

    def __init__(self, db_url: str, confirmation: Confirmation, stats: StatsCollector) -> None:
        self.db_url = db_url
        self.confirmation = confirmation
        self.stats = stats
        self.since: datetime | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read the settings and connect to the spider's opening and closing."""
        settings = crawler.settings
        if not settings.getbool("CITETRACK_HEALTH_PASS_ENABLED"):
            raise NotConfigured("CITETRACK_HEALTH_PASS_ENABLED is off")
        confirmation = Confirmation.from_values(
            settings.getint("CITETRACK_CONFIRM_CHECKS"), settings.getfloat("CITETRACK_CONFIRM_SPACING_DAYS")
        )
        extension = cls(settings.get("CITETRACK_DB"), confirmation, crawler.stats)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        """Remember when the crawl began: the pass covers the checks made since."""
        self.since = utcnow()

    async def spider_closed(self, reason: str) -> None:
        """Run the pass over the checks made since the spider opened and record its counts as stats."""
        # Imported here: the pass loads the matching engine (for drift), which the crawl does not need until now;
        # loaded at start, it would add about 25 MB to the crawl's peak memory, next to the extraction workers.
        from crawler.jobs.healthpass import run_health_pass

        assert self.since is not None
        started = time.monotonic()
        factory = session_factory(self.db_url)
        counts = await asyncio.to_thread(run_health_pass, factory, self.since, self.confirmation)
        for key, value in counts.items():
            self.stats.set_value(STATS_PREFIX + key, value)
        self.stats.set_value(STATS_PREFIX + "seconds", round(time.monotonic() - started, 3))
