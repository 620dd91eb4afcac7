"""Run a crawl in a child process (``run_child``), and the child's own entry point (``main``).

A Twisted reactor cannot be restarted within one process, and ``citetrack crawl`` may run many times in one
(tests call ``crawler.cli.main`` repeatedly), so each crawl gets a fresh process and reactor. The child reports
progress on stdout as one JSON line per checked source: ``{"done", "total", "url"}``. It reads the database URL
from ``CITETRACK_DB``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from crawler.config import crawl_settings, db_url, environment
from crawler.exceptions import UsageError

# Close reasons of a crawl that did all its work; anything else (``shutdown``) means interrupted.
FINISHED = "finished"
EXIT_INTERRUPTED = 130
# The crawl finished but the database refused some checks (``StorePipeline``): the work failed.
EXIT_LOST = 1


def main(argv: Sequence[str] | None = None) -> int:
    """Crawl the chosen sources; exit 0 when the crawl finished, 1 when checks were lost, 130 when interrupted.

    The database URL comes from ``CITETRACK_DB`` in the environment, never from the command line (``ps``).
    """
    parser = argparse.ArgumentParser(prog="python -m crawler.crawlrun", description=__doc__)
    parser.add_argument("--article", help="crawl this article's sources")
    parser.add_argument("--source", help="crawl this source URL")
    parser.add_argument("--all", action="store_true", help="crawl every source")
    parser.add_argument("--checked-before", metavar="ISO_TIME", help="also crawl sources last checked before this")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawler.pipelines.store import LOST_STAT

    try:
        environment()  # a setting with a value of the wrong type is a usage error before anything runs
        settings = crawl_settings(args.settings, db_url())
    except UsageError as error:
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 2
    process = CrawlerProcess(settings)
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


def run_child(arguments: Sequence[str], db_url: str, on_progress: Callable[[dict[str, Any]], None]) -> int:
    """Run ``python -m crawler.crawlrun ARGUMENTS`` on ``db_url`` and return its exit code (130 if it was killed).

    The child gets the database URL in its environment (a password in argv would show in ``ps``) and runs in
    its own process group with its extraction workers: SIGTERM and Ctrl-C to this process are passed on to it
    (its graceful shutdown writes what it has), and once it has exited, whatever is left of its group (workers
    of a killed child) is ended, so this process never waits on a pipe they hold open.
    """
    command = [sys.executable, "-m", "crawler.crawlrun", *arguments]
    environment = {**os.environ, "CITETRACK_DB": db_url}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=environment, process_group=0) as child:
        previous_term = signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signal.SIGTERM))
        try:
            code = _follow(child, on_progress)
        finally:
            signal.signal(signal.SIGTERM, previous_term)
            _end_group(child.pid)
    return EXIT_INTERRUPTED if code < 0 else code


def _follow(child: subprocess.Popen[str], on_progress: Callable[[dict[str, Any]], None]) -> int:
    """Pass the child's progress lines on until it exits; Ctrl-C is passed on to the child, which shuts down."""
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(child, lines), daemon=True)
    reader.start()
    while True:
        try:
            code = child.poll()
            if code is not None:
                break
            line = lines.get(timeout=0.2)
            if line is not None and line.startswith("{"):
                on_progress(json.loads(line))
        except queue.Empty:
            continue
        except KeyboardInterrupt:
            child.send_signal(signal.SIGINT)
    _end_group(child.pid)  # the workers of a killed child hold its stdout open: no end of file without this
    reader.join(timeout=5)
    while not lines.empty():
        line = lines.get()
        if line is not None and line.startswith("{"):
            on_progress(json.loads(line))
    return code


def _read_lines(child: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    assert child.stdout is not None
    for line in child.stdout:
        lines.put(line)
    lines.put(None)


def _end_group(group: int) -> None:
    """Kill what is left of the child's process group (nothing, after a clean exit)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


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
