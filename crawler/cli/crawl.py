"""``citetrack crawl``: fetch the cited sources with the Scrapy spider, store each version, report counts."""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from crawler import config
from crawler.cli import EXIT_INTERRUPTED, EXIT_LOCKED
from crawler.cli.options import (
    add_address_options,
    add_db_option,
    add_format_option,
    add_set_option,
    address_settings,
    print_json,
    print_table,
    record_id,
)
from crawler.cli.progress import Progress
from crawler.exceptions import UsageError
from crawler.health.flags import Confirmation
from crawler.health.schedule import DuePolicy
from crawler.report.text import shorten
from crawler.settings import CITETRACK_RECHECK_DAYS

if TYPE_CHECKING:
    from crawler.jobs.due import Selection

# ``--due`` without a number: the sources the due policy says are due now.
POLICY = "policy"
# The store lock every ``crawl --due`` holds (store/lock.py): cron runs never overlap.
CRON_LOCK = "crawl --due"


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
        "--due", nargs="?", type=_days, const=POLICY, metavar="DAYS",
        help="crawl what the due policy says is due now (healthy sources every CITETRACK_RECHECK_DAYS, "
        f"{CITETRACK_RECHECK_DAYS:g}; open problems on the confirmation schedule; new articles' sources at once), "
        "then the health pass: what a cron job runs. With DAYS: the sources never checked or last checked more "
        f"than DAYS days ago. Holds the store's run lock: an overlapping run exits {EXIT_LOCKED}",
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
    from crawler.cli.queueing import enqueue_selection
    from crawler.jobs.crawl import run_crawl
    from store.engine import session_factory
    from store.lock import held, run_lock
    from store.queries import get_article

    settings = config.Config(args.settings)  # a bad -s or environment value is a usage error before anything runs
    db_url = args.db or settings["CITETRACK_DB"]
    if args.settings:  # checked against Scrapy's settings: Scrapy is imported only for them or for the crawl
        config.crawl_settings(args.settings, db_url)
    _due_policy(settings)
    if args.article is not None:
        with session_factory(db_url).begin() as session:
            get_article(session, args.article)
    selection = _selection(args)
    if args.redis:
        return enqueue_selection(args.redis, db_url, selection, settings["CITETRACK_REDIS_QUEUE"], args.format)
    if args.due is not None:
        with run_lock(db_url, CRON_LOCK):  # an overlapping cron run stops here; the child holds the lock itself
            pass
    progress = Progress("crawl")
    try:
        crawl = run_crawl(
            db_url, selection, ["LOG_LEVEL=ERROR", *address_settings(args), *args.settings],
            health_pass=_confirmation(settings), on_start=progress.start,
            on_progress=lambda line: progress.advance(note=shorten(line.get("url"), 80)),
            lock=CRON_LOCK if args.due is not None else None,
        )  # fmt: skip
    finally:
        progress.close()
    if crawl.exit_code == EXIT_LOCKED:
        raise held(CRON_LOCK)
    if args.due == POLICY and crawl.exit_code == 0:
        crawl.summary["verify"] = _verify_changed(db_url, crawl.summary)
    if args.format == "json":
        print_json(crawl.summary)
    else:
        _print_table(crawl.summary)
    if crawl.exit_code == EXIT_INTERRUPTED:
        return EXIT_INTERRUPTED
    return 0 if crawl.exit_code == 0 else 1


def _verify_changed(db_url: str, summary: dict[str, Any]) -> dict[str, Any]:
    """Verify the pairs whose sources got new text (``citetrack verify``'s work); return its counts."""
    if not summary["fetched"]:
        return {"verified": 0, "unavailable": None, "verdicts": {}}
    from crawler.jobs.verify import run_verify
    from store.engine import session_factory

    done = run_verify(session_factory(db_url), None, force=False)
    return {"verified": len(done.rows), "unavailable": done.unavailable,
            "verdicts": dict(Counter(row["verdict"] for row in done.rows))}  # fmt: skip


def _days(text: str) -> float | str:
    """Parse ``--due``'s DAYS (argparse also passes the constant of ``--due`` alone through here)."""
    if text == POLICY:
        return POLICY
    try:
        days = float(text)
    except ValueError:
        days = -1.0
    if not days >= 0:
        raise argparse.ArgumentTypeError(f"--due takes a number of days >= 0, not {text!r}")
    return days


def _selection(args: argparse.Namespace) -> Selection:
    """Return the sources the options choose; ``--due`` alone means those the due policy says are due now."""
    from crawler.jobs.due import Selection
    from store.base import utcnow

    if args.due == POLICY:
        return Selection(due_at=utcnow())
    checked_before = utcnow() - timedelta(days=args.due) if args.due is not None else None
    return Selection(args.article, args.source, args.all, checked_before)


def _due_policy(settings: config.Config) -> DuePolicy:
    """Return the due policy of the settings; a value it cannot use is bad usage."""
    try:
        return DuePolicy.from_values(
            settings["CITETRACK_RECHECK_DAYS"], settings["CITETRACK_CONFIRM_SPACING_DAYS"],
            settings["CITETRACK_RECHECK_DAYS_BY_HOST"],
        )  # fmt: skip
    except ValueError as error:
        raise UsageError(str(error)) from None


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
    if "verify" in summary:
        line += f"; verified {summary['verify']['verified']} pair(s) of changed sources"
    print(line)
