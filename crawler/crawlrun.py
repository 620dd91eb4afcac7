"""The crawl's child process (``python -m crawler.crawlrun``): run one spider once and report.

``crawler.jobs.crawl`` (the ``sources`` spider) and ``crawler.jobs.discover`` (``--spider articles``) start it, one
process per crawl (a Twisted reactor runs once per process). It prints one JSON line per item (``{"done", "total",
"url"}``, plus ``source_id`` for a checked source and what the item says of itself for the articles spider) and,
last, ``{"health": {…}}``, the counts of the health pass the spider's closing ran (``null`` when that pass is off or
did not run). It reads the database URL from ``CITETRACK_DB``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from crawler.config import crawl_settings, db_url, environment
from crawler.exceptions import UsageError
from crawler.jobs.crawl import EXIT_INTERRUPTED, EXIT_LOCKED
from crawler.jobs.due import Selection, count_due_sources, stream_due_sources
from store.errors import StoreLocked
from store.lock import run_lock

if TYPE_CHECKING:
    from scrapy.settings import Settings

# Close reasons of a crawl that did all its work; anything else (``shutdown``) means interrupted.
FINISHED = "finished"
# The crawl finished but the database refused some checks (``StorePipeline``) or feeds could not be read
# (``FeedStatePipeline``): the work failed.
EXIT_LOST = 1
# Per spider: the stat counting the items its crawl will yield (the progress lines' ``total``).
TOTALS = {"sources": "citetrack/sources", "articles": "citetrack/articles"}


def main(argv: Sequence[str] | None = None) -> int:
    """Crawl; exit 0 when the crawl finished, 1 when checks were lost or feeds failed, 130 when interrupted, 75 when
    ``--lock`` is held by another run.

    The database URL comes from ``CITETRACK_DB`` in the environment, never from the command line (``ps``).
    """
    parser = _parser()
    args = parser.parse_args(argv)
    from crawler.pipelines.feeds import FAILED_STAT
    from crawler.pipelines.store import LOST_STAT

    try:
        environment()  # a setting with a value of the wrong type is a usage error before anything runs
        settings = crawl_settings(args.settings, db_url())
    except UsageError as error:
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 2
    selection = Selection(
        article_id=args.article, url=args.source, every=args.all, checked_before=args.checked_before,
        due_at=args.due_at,
    )  # fmt: skip
    store = settings["CITETRACK_DB"]
    try:
        with run_lock(store, args.lock) if args.lock else contextlib.nullcontext():
            stats = _crawl(settings, selection) if args.spider == "sources" else _discover(settings)
    except StoreLocked as error:
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return EXIT_LOCKED
    print(json.dumps({"health": _health(stats)}), flush=True)
    if stats.get("finish_reason") != FINISHED:
        return EXIT_INTERRUPTED
    return EXIT_LOST if stats.get(LOST_STAT) or stats.get(FAILED_STAT) else 0


def _crawl(settings: Settings, selection: Selection) -> dict[str, Any]:
    """Run the spider over the selected sources; return the crawl's stats."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    store = settings["CITETRACK_DB"]
    total = count_due_sources(store, selection)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("sources")
    progress = _Progress(crawler, TOTALS["sources"])  # held here: Scrapy's signals keep only a weak reference
    crawler.signals.connect(progress.item_scraped, signal=signals.item_scraped)
    # The spider takes its work list from here: the selection is read once, a page at a time, as it crawls.
    due = stream_due_sources(store, selection, settings.getint("CITETRACK_DUE_BATCH"))
    process.crawl(crawler, due=due, total=total)
    process.start()
    return crawler.stats.get_stats()


def _discover(settings: Settings) -> dict[str, Any]:
    """Run the articles spider over the registered feeds; return the crawl's stats."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(settings)
    crawler = process.create_crawler("articles")
    progress = _Progress(crawler, TOTALS["articles"])  # held here: Scrapy's signals keep only a weak reference
    crawler.signals.connect(progress.item_scraped, signal=signals.item_scraped)
    process.crawl(crawler)
    process.start()
    return crawler.stats.get_stats()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crawler.crawlrun", description=__doc__)
    parser.add_argument("--spider", choices=sorted(TOTALS), default="sources", help="the spider to run")
    parser.add_argument("--article", type=int, help="crawl this article's sources")
    parser.add_argument("--source", help="crawl this source URL")
    parser.add_argument("--all", action="store_true", help="crawl every source")
    parser.add_argument(
        "--checked-before", type=datetime.fromisoformat, metavar="ISO_TIME",
        help="also crawl sources last checked before this",
    )  # fmt: skip
    parser.add_argument(
        "--due-at", type=datetime.fromisoformat, metavar="ISO_TIME", help="crawl the sources due by then (due policy)"
    )
    parser.add_argument("--lock", metavar="NAME", help="hold this store lock while crawling (exit 75 if it is held)")
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
        if hasattr(item, "source_id"):
            line["source_id"] = item.source_id
        progress = getattr(item, "progress", None)
        print(json.dumps(line | (progress() if progress else {})), flush=True)


if __name__ == "__main__":
    sys.exit(main())
