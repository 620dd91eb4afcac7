"""Distributed crawling on scrapy-redis: a lease queue, its scheduler, the enqueuer and the worker's run.

``citetrack crawl --redis`` puts sources on a shared Redis list (``enqueue``); each ``citetrack worker`` runs the
``sources_worker`` spider with ``LeaseScheduler`` (scrapy-redis's scheduler and dupefilter) over ``LeaseQueue``, a
scrapy-redis queue whose pop leases a request instead of removing it, so a killed worker loses nothing.
"""

from __future__ import annotations

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning

# scrapy-redis 0.9.1 passes ``spider=`` to the stats collector, which Scrapy 2.13+ deprecates; that one warning
# only, nothing broader (pytest's configuration filters the same one).
warnings.filterwarnings(
    "ignore",
    message=r"Passing a 'spider' argument to StatsCollector.inc_value\(\) is deprecated",
    category=ScrapyDeprecationWarning,
    module="scrapy_redis.scheduler",
)
