"""``citetrack crawl``: fetch the cited sources with the Scrapy spider, store each version, report counts."""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import timedelta
from typing import Any

from crawler import config
from crawler.cli.options import (
    add_address_options,
    add_db_option,
    add_format_option,
    print_json,
    print_table,
    record_id,
)
from crawler.cli.progress import Progress
from crawler.crawlrun import EXIT_INTERRUPTED, run_child
from crawler.exceptions import UsageError
from crawler.health.flags import Confirmation
from crawler.jobs.due import due_sources
from crawler.jobs.healthpass import health_after_crawl
from crawler.report.text import shorten
from crawler.settings import CITETRACK_RECHECK_DAYS
from store.base import utcnow
from store.crawl import checks_since
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
    parser.add_argument(
        "-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
        help="override a Scrapy setting, as scrapy crawl -s does (e.g. -s DOWNLOAD_DELAY=0); repeatable",
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
    args.checked_before = utcnow() - timedelta(days=args.due) if args.due is not None else None
    factory = session_factory(db_url)
    if args.article is not None:
        with factory.begin() as session:
            get_article(session, args.article)
    due = due_sources(
        db_url, article_id=args.article, url=args.source, every=args.all, checked_before=args.checked_before
    )
    started = utcnow()
    exit_code = _crawl(args, db_url, len(due)) if due else 0
    with factory.begin() as session:
        # Flags over consecutive checks, site-wide redirect targets and drift of new snapshots (crawler.health).
        health = health_after_crawl(session, started, _confirmation(settings))
    with factory.begin() as session:
        rows = [_row(check, source) for check, source in checks_since(session, started, [d.source_id for d in due])]
    summary = _summary(rows, len(due), interrupted=exit_code == EXIT_INTERRUPTED)
    summary["health"] = dict(health)
    if args.format == "json":
        print_json(summary)
    else:
        _print_table(summary)
    if exit_code == EXIT_INTERRUPTED:
        return EXIT_INTERRUPTED
    return 0 if exit_code == 0 else 1


def _confirmation(settings: config.Config) -> Confirmation:
    return Confirmation.from_values(settings["CITETRACK_CONFIRM_CHECKS"], settings["CITETRACK_CONFIRM_SPACING_DAYS"])


def _crawl(args: argparse.Namespace, db_url: str, total: int) -> int:
    """Run the spider in a child process with the chosen sources, options and overrides."""
    arguments = ["-s", "LOG_LEVEL=ERROR"]
    if args.article is not None:
        arguments += ["--article", str(args.article)]
    elif args.source is not None:
        arguments += ["--source", args.source]
    elif args.all:
        arguments.append("--all")
    elif args.checked_before is not None:
        arguments += ["--checked-before", args.checked_before.isoformat()]
    if args.allow_private:
        arguments += ["-s", "CITETRACK_ALLOW_PRIVATE=1"]
    if args.allow_host:
        arguments += ["-s", "CITETRACK_ALLOW_HOSTS=" + ",".join(args.allow_host)]
    for override in args.settings:
        arguments += ["-s", override]
    progress = Progress("crawl", total)
    try:
        return run_child(arguments, db_url, lambda line: progress.advance(note=shorten(line.get("url"), 80)))
    finally:
        progress.close()


def _row(check: Any, source: Any) -> dict[str, Any]:
    return {
        "url": source.url,
        "final_url": check.final_url,
        "http_status": check.http_status,
        "outcome": check.outcome,
        "snapshot_id": check.snapshot_id,
        "status": check.status,
        "checked_at": check.checked_at,
    }


def _summary(rows: list[dict[str, Any]], due: int, *, interrupted: bool) -> dict[str, Any]:
    """Count outcomes (failures by status) over this run's checks."""
    outcomes = Counter(row["outcome"] for row in rows)
    return {
        "fetched": outcomes["fetched"],
        "unchanged": outcomes["unchanged"],
        "failed": outcomes["failed"],
        "failed_by_reason": dict(Counter(row["status"] for row in rows if row["outcome"] == "failed")),
        "not_checked": due - len(rows),
        "interrupted": interrupted,
        "sources": rows,
    }


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
