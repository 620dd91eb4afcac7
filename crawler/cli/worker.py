"""``citetrack worker``: take sources from the shared Redis queue, check them and store what they say."""

from __future__ import annotations

import argparse
from typing import Any

from crawler import config
from crawler.cli import EXIT_INTERRUPTED
from crawler.cli.options import (
    add_address_options,
    add_db_option,
    add_format_option,
    add_set_option,
    address_settings,
    print_json,
)
from crawler.cli.progress import Progress
from crawler.exceptions import UsageError
from crawler.report.text import shorten

# Close reasons: the queue stayed empty (``--exit-when-idle``), or a signal stopped the worker.
FINISHED = "finished"
INTERRUPTED = "shutdown"
OUTCOMES = ("fetched", "unchanged", "failed")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``worker`` command."""
    parser = subparsers.add_parser(
        "worker",
        help="check sources from a shared Redis queue (distributed crawling)",
        description="Take sources that `citetrack crawl --redis` queued, check them as `crawl` does and store "
        "the checks in --db; run as many workers on as many machines as needed. Runs until SIGTERM or Ctrl-C "
        "(its unfinished sources go back on the queue); a worker killed outright loses nothing either: the "
        "others put its sources back once its heartbeat stops.",
    )
    parser.add_argument("--redis", metavar="URL", required=True, help="the shared queue's Redis, e.g. redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--exit-when-idle", type=float, metavar="SECONDS",
        help="exit once the queue and every other worker's sources have stayed empty this long "
        "(default: CITETRACK_WORKER_EXIT_IDLE, 0 = run until stopped)",
    )  # fmt: skip
    add_set_option(parser, "CITETRACK_REDIS_QUEUE=newsroom")
    add_address_options(parser)
    add_db_option(parser)
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the worker in this process; report what it checked when it stops."""
    from crawler.redisqueue.worker import connect, run_worker, worker_settings

    if args.exit_when_idle is not None and args.exit_when_idle < 0:
        raise UsageError("--exit-when-idle takes a number of seconds >= 0")
    db_url = config.db_url(args.db)
    config.Config(args.settings)  # a bad -s or environment value is a usage error before anything runs
    settings = config.crawl_settings([*address_settings(args), *args.settings], db_url)
    if args.exit_when_idle is not None:
        settings.set("CITETRACK_WORKER_EXIT_IDLE", args.exit_when_idle, priority="cmdline")
    connect(args.redis).close()  # an unreachable Redis is one error line, before the crawl starts
    progress = Progress("worker")
    try:
        stats = run_worker(
            worker_settings(settings, args.redis),
            lambda item: progress.advance(note=shorten(item.url, 80)),
        )
    finally:
        progress.close()
    summary = _summary(stats)
    if args.format == "json":
        print_json(summary)
    else:
        print(
            f"checked {summary['checked']}: fetched {summary['fetched']}, unchanged {summary['unchanged']}, "
            f"failed {summary['failed']}; {summary['requeued']} put back on the queue ({summary['finish_reason']})"
        )
    if summary["finish_reason"] == INTERRUPTED:
        return EXIT_INTERRUPTED
    return 0 if summary["finish_reason"] == FINISHED and not summary["lost"] else 1


def _summary(stats: dict[str, Any]) -> dict[str, Any]:
    """Return the worker's counts from its crawl stats."""
    counts = {outcome: stats.get(f"citetrack/check/outcome/{outcome}", 0) for outcome in OUTCOMES}
    return {
        "checked": sum(counts.values()),
        **counts,
        "stored": stats.get("citetrack/store/checks", 0),
        "lost": stats.get("citetrack/store/lost", 0),
        "acknowledged": stats.get("citetrack/queue/acked", 0),
        "reaped": stats.get("citetrack/queue/reaped", 0),
        "requeued": stats.get("citetrack/queue/released", 0),
        "heartbeat_lapses": stats.get("citetrack/queue/lapsed", 0),
        "finish_reason": stats.get("finish_reason"),
        "interrupted": stats.get("finish_reason") == INTERRUPTED,
    }
