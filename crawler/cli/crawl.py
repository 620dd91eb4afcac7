"""``citetrack crawl``: fetch the cited sources with the Scrapy spider, store each version, report counts."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from crawler import config
from crawler.cli.options import (
    add_address_options,
    add_db_option,
    add_format_option,
    add_set_option,
    print_json,
    print_table,
    record_id,
)
from crawler.cli.progress import Progress
from crawler.cli.queueing import enqueue_selection
from crawler.exceptions import UsageError
from crawler.health.flags import Confirmation
from crawler.jobs.crawl import EXIT_INTERRUPTED, Selection, run_crawl
from crawler.report.text import shorten
from crawler.settings import CITETRACK_RECHECK_DAYS
from store.base import utcnow
from store.engine import session_factory
from store.queries import get_article

# ``--due`` without a number: the days come from CITETRACK_RECHECK_DAYS (-s, environment, crawler/settings.py).
RECHECK_SETTING = "CITETRACK_RECHECK_DAYS"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``crawl`` command."""
    parser = subparsers.add_parser(
        "crawl",
        help="fetch cited sources and store each version",
        description="Crawl cited sources (default: every source never fetched) politely, store raw bodies, "
        "extracted text and a check per attempt. An interrupted crawl is finished by the next run.",
    )
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--article", type=record_id, metavar="ID", help="crawl every source of this article")
    chosen.add_argument("--source", metavar="URL", help="crawl this one source (it must be cited by an article)")
    chosen.add_argument("--all", action="store_true", help="crawl every source, fetched before or not")
    chosen.add_argument(
        "--due", nargs="?", type=float, const=RECHECK_SETTING, metavar="DAYS",
        help="crawl sources never checked or last checked more than DAYS days ago "
        f"(default: CITETRACK_RECHECK_DAYS, {CITETRACK_RECHECK_DAYS:g}): what a cron job runs",
    )  # fmt: skip
    add_set_option(parser, "DOWNLOAD_DELAY=0")
    parser.add_argument(
        "--redis", metavar="URL",
        help="put the selected sources on this Redis's shared queue for `citetrack worker` instead of crawling them",
    )  # fmt: skip
    add_address_options(parser)
    add_db_option(parser)
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Crawl in a child process, then report what this run checked from the database."""
    db_url = config.db_url(args.db)
    settings = config.Config(args.settings)  # a bad -s or environment value is a usage error before anything runs
    config.crawl_settings(args.settings, db_url)
    if args.due == RECHECK_SETTING:
        args.due = settings["CITETRACK_RECHECK_DAYS"]
    if args.due is not None and args.due < 0:
        raise UsageError("--due takes a number of days >= 0")
    if args.article is not None:
        with session_factory(db_url).begin() as session:
            get_article(session, args.article)
    selection = Selection(
        args.article, args.source, args.all, utcnow() - timedelta(days=args.due) if args.due is not None else None
    )
    if args.redis:
        return enqueue_selection(args.redis, db_url, selection, settings["CITETRACK_REDIS_QUEUE"], args.format)
    progress = Progress("crawl")
    try:
        crawl = run_crawl(
            db_url, selection, ["LOG_LEVEL=ERROR", *address_settings(args), *args.settings],
            health_pass=_confirmation(settings), on_start=progress.start,
            on_progress=lambda line: progress.advance(note=shorten(line.get("url"), 80)),
        )  # fmt: skip
    finally:
        progress.close()
    if args.format == "json":
        print_json(crawl.summary)
    else:
        _print_table(crawl.summary)
    if crawl.exit_code == EXIT_INTERRUPTED:
        return EXIT_INTERRUPTED
    return 0 if crawl.exit_code == 0 else 1


def address_settings(args: argparse.Namespace) -> list[str]:
    """Return ``--allow-private`` and ``--allow-host`` as the crawl's settings."""
    settings = ["CITETRACK_ALLOW_PRIVATE=1"] if args.allow_private else []
    return settings + (["CITETRACK_ALLOW_HOSTS=" + ",".join(args.allow_host)] if args.allow_host else [])


def _confirmation(settings: config.Config) -> Confirmation | None:
    """Return the health pass's confirmation rule, None when the pass is off."""
    if not settings["CITETRACK_HEALTH_PASS_ENABLED"]:
        return None
    return Confirmation.from_values(settings["CITETRACK_CONFIRM_CHECKS"], settings["CITETRACK_CONFIRM_SPACING_DAYS"])


def _print_table(summary: dict[str, Any]) -> None:
    print_table(
        (
            [
                shorten(row["url"], 60),
                row["status"],
                row["http_status"] or "-",
                row["outcome"],
                row["snapshot_id"] or "-",
            ]
            for row in summary["sources"]
        ),
        headers=["url", "status", "http", "outcome", "snapshot"],
    )
    reasons = ", ".join(f"{status} {count}" for status, count in sorted(summary["failed_by_reason"].items()))
    line = f"fetched {summary['fetched']}, unchanged {summary['unchanged']}, failed {summary['failed']}"
    line += f" ({reasons})" if reasons else ""
    if summary["not_checked"]:
        line += f"; {summary['not_checked']} not checked" + (
            " (interrupted: run again to finish)" if summary["interrupted"] else ""
        )
    print(line)
