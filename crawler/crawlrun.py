"""The crawl's child process (``python -m crawler.crawlrun``): run one spider once and report.

``crawler.jobs.crawl`` (the ``sources`` spider) and ``crawler.jobs.discover`` (``--spider articles``) start it, one
process per crawl (a Twisted reactor runs once per process). It prints one JSON line per item
(``{"done", "total", "url"}``, plus what the item says of itself for the articles spider) and, last,
``{"health": {…}}``, the counts of the health pass the spider's closing ran (``null`` when that pass is off or did
not run). It reads the database URL from ``CITETRACK_DB``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from crawler.config import crawl_settings, db_url, environment
from crawler.exceptions import UsageError
from crawler.jobs.crawl import EXIT_INTERRUPTED

# Close reasons of a crawl that did all its work; anything else (``shutdown``) means interrupted.
FINISHED = "finished"
# The crawl finished but the database refused some checks (``StorePipeline``) or feeds could not be read
# (``FeedStatePipeline``): the work failed.
EXIT_LOST = 1
# Per spider: the stat counting the items its crawl will yield (the progress lines' ``total``).
TOTALS = {"sources": "citetrack/sources", "articles": "citetrack/articles"}


def main(argv: Sequence[str] | None = None) -> int:
    """Crawl; exit 0 when the crawl finished, 1 when checks were lost or feeds failed, 130 when interrupted.

    The database URL comes from ``CITETRACK_DB`` in the environment, never from the command line (``ps``).
    """
    parser = _parser()
    args = parser.parse_args(argv)
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawler.pipelines.feeds import FAILED_STAT
    from crawler.pipelines.store import LOST_STAT

    try:
        environment()  # a setting with a value of the wrong type is a usage error before anything runs
        settings = crawl_settings(args.settings, db_url())
    except UsageError as error:
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 2
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(args.spider)
    progress = _Progress(crawler, TOTALS[args.spider])  # held here: signals keep only weak references to receivers
    crawler.signals.connect(progress.item_scraped, signal=signals.item_scraped)
    spider_args = {"article": args.article, "source": args.source, "all": "1" if args.all else None,
                   "checked_before": args.checked_before}  # fmt: skip
    process.crawl(crawler, **{key: value for key, value in spider_args.items() if value})
    process.start()
    stats = crawler.stats.get_stats()
    print(json.dumps({"health": _health(stats)}), flush=True)
    if stats.get("finish_reason") != FINISHED:
        return EXIT_INTERRUPTED
    return EXIT_LOST if stats.get(LOST_STAT) or stats.get(FAILED_STAT) else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crawler.crawlrun", description=__doc__)
    parser.add_argument("--spider", choices=sorted(TOTALS), default="sources", help="the spider to run")
    parser.add_argument("--article", help="crawl this article's sources")
    parser.add_argument("--source", help="crawl this source URL")
    parser.add_argument("--all", action="store_true", help="crawl every source")
    parser.add_argument("--checked-before", metavar="ISO_TIME", help="also crawl sources last checked before this")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    return parser


def _health(stats: dict[str, Any]) -> dict[str, Any] | None:
    """Return the health pass's counts from the crawl's stats, None when the pass did not run."""
    from crawler.extensions.healthpass import STATS_PREFIX

    if f"{STATS_PREFIX}seconds" not in stats:
        return None
    counts = {key.removeprefix(STATS_PREFIX): value for key, value in stats.items() if key.startswith(STATS_PREFIX)}
    return {key: value for key, value in counts.items() if key != "seconds"}


class _Progress:
    """Prints one JSON line per item that went through the pipeline, with the item's own ``progress()`` if any."""

    def __init__(self, crawler: Any, total_stat: str) -> None:
        self.crawler = crawler
        self.total_stat = total_stat
        self.done = 0

    def item_scraped(self, item: Any) -> None:
        self.done += 1
        line = {"done": self.done, "total": self.crawler.stats.get_value(self.total_stat), "url": item.url}
        progress = getattr(item, "progress", None)
        print(json.dumps(line | (progress() if progress else {})), flush=True)


if __name__ == "__main__":
    sys.exit(main())
