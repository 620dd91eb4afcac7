"""Run a crawl in a child process (``run_child``), and the child's own entry point (``main``).

A Twisted reactor cannot be restarted within one process, and ``citetrack crawl`` may run many times in one
(tests call ``crawler.cli.main`` repeatedly), so each crawl gets a fresh process and reactor. The child reports
progress on stdout as one JSON line per checked source: ``{"done", "total", "url"}``.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.settings import Settings

# Close reasons of a crawl that did all its work; anything else (``shutdown``) means interrupted.
FINISHED = "finished"
EXIT_INTERRUPTED = 130
# The crawl finished but the database refused some checks (``StorePipeline``): the work failed.
EXIT_LOST = 1


def build_settings(overrides: Sequence[str], db_url: str) -> Settings:
    """Return the project settings with ``NAME=VALUE`` overrides applied at command-line priority."""
    # Scrapy is imported in the child only: the parent process of ``citetrack crawl`` never needs it.
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for override in overrides:
        name, _, value = override.partition("=")
        settings.set(name.strip(), value, priority="cmdline")
    settings.set("CITETRACK_DB", db_url, priority="cmdline")
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    """Crawl the chosen sources; exit 0 when the crawl finished, 1 when checks were lost, 130 when interrupted."""
    parser = argparse.ArgumentParser(prog="python -m crawler.crawlrun", description=__doc__)
    parser.add_argument("--db", required=True, help="database URL")
    parser.add_argument("--article", help="crawl this article's sources")
    parser.add_argument("--source", help="crawl this source URL")
    parser.add_argument("--all", action="store_true", help="crawl every source")
    parser.add_argument("--checked-before", metavar="ISO_TIME", help="also crawl sources last checked before this")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawler.pipelines.store import LOST_STAT

    process = CrawlerProcess(build_settings(args.settings, args.db))
    crawler = process.create_crawler("sources")
    crawler.signals.connect(_Progress(crawler).item_scraped, signal=signals.item_scraped)
    spider_args = {
        "article": args.article,
        "source": args.source,
        "all": "1" if args.all else None,
        "checked_before": args.checked_before,
    }
    process.crawl(crawler, **{key: value for key, value in spider_args.items() if value})
    process.start()
    if crawler.stats.get_value("finish_reason") != FINISHED:
        return EXIT_INTERRUPTED
    return EXIT_LOST if crawler.stats.get_value(LOST_STAT) else 0


def run_child(arguments: Sequence[str], on_progress: Callable[[dict[str, Any]], None]) -> int:
    """Run ``python -m crawler.crawlrun ARGUMENTS`` and return its exit code.

    SIGTERM to this process is passed on to the child, whose graceful shutdown writes what it has; Ctrl-C
    reaches the child through the terminal's process group, so this process only waits for it.
    """
    command = [sys.executable, "-m", "crawler.crawlrun", *arguments]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
        previous_term = signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signal.SIGTERM))
        try:
            return _follow(child, on_progress)
        finally:
            signal.signal(signal.SIGTERM, previous_term)


def _follow(child: subprocess.Popen[str], on_progress: Callable[[dict[str, Any]], None]) -> int:
    """Pass the child's progress lines on until it exits; Ctrl-C only means the child is shutting down."""
    assert child.stdout is not None
    while True:
        try:
            for line in child.stdout:
                if line.startswith("{"):
                    on_progress(json.loads(line))
            return child.wait()
        except KeyboardInterrupt:
            continue


class _Progress:
    """Prints one JSON line per item that went through the pipeline."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.done = 0

    def item_scraped(self, item: Any) -> None:
        self.done += 1
        line = {"done": self.done, "total": self.crawler.stats.get_value("citetrack/sources"), "url": item.url}
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    sys.exit(main())
