"""``citetrack due``: the sources the due policy says are due (now, or within DAYS), in next-check order."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from crawler import config
from crawler.cli.options import add_db_option, add_format_option, count
from crawler.exceptions import UsageError
from crawler.report.text import json_default, shorten

if TYPE_CHECKING:
    from store.crawl import DueEntry

# Column widths of the streamed table (a long URL is shortened to fit).
WIDTHS = (8, 19, 19, 13)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``due`` command."""
    parser = subparsers.add_parser(
        "due",
        help="list the sources that are due for a check, and when",
        description="List the sources the due policy makes due (what `citetrack crawl --due` would fetch now), "
        "earliest first, with when each is due and why. The list is streamed: any size, constant memory.",
    )
    parser.add_argument("--limit", type=count, metavar="N", help="list at most N sources")
    parser.add_argument(
        "--within", type=float, default=0.0, metavar="DAYS",
        help="also list the sources that come due within DAYS days (default: 0, those due now)",
    )  # fmt: skip
    add_db_option(parser)
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the due sources, one row (or one JSON array element) at a time."""
    from crawler.jobs.due import stream_due_listing
    from store.base import utcnow

    if args.within < 0:
        raise UsageError("--within takes a number of days >= 0")
    settings = config.Config()
    now = utcnow()
    entries = stream_due_listing(
        config.db_url(args.db), now + timedelta(days=args.within), settings["CITETRACK_DUE_BATCH"], args.limit
    )
    if args.format == "json":
        _print_json(entries, now)
    else:
        _print_table(entries, now + timedelta(days=args.within))
    return 0


def _row(entry: DueEntry, now: datetime) -> dict[str, object]:
    """Return the JSON row of one due source (field names are a contract: README, ``due --format json``)."""
    return {
        "source_id": entry.source_id,
        "url": entry.url,
        "status": entry.status,
        "last_checked_at": entry.last_checked_at,
        "next_check_at": entry.next_check_at,
        "due_now": entry.next_check_at <= now,
        "reason": _reason(entry),
    }


def _reason(entry: DueEntry) -> str:
    """Return why the source is due: never checked, a healthy re-check, or a problem being confirmed."""
    if entry.last_checked_at is None:
        return "never_checked"
    return "recheck" if entry.status in ("ok", "redirected", "drifted") else "problem"


def _print_json(entries: Iterable[DueEntry], now: datetime) -> None:
    """Write a JSON array one element at a time, so the first source shows before the last is read."""
    out = sys.stdout
    out.write("[")
    separator = "\n  "
    for entry in entries:
        out.write(separator + json.dumps(_row(entry, now), ensure_ascii=False, default=json_default))
        separator = ",\n  "
    out.write("\n]\n" if separator != "\n  " else "]\n")


def _print_table(entries: Iterable[DueEntry], now: datetime) -> None:
    """Print one fixed-width row per source as it is read, then how many are due."""
    headers = ("source", "next check (UTC)", "last check (UTC)", "reason")
    print(_cells(headers) + "  url")
    listed = 0
    for listed, entry in enumerate(entries, start=1):
        cells = (str(entry.source_id), _when(entry.next_check_at), _when(entry.last_checked_at), _reason(entry))
        print(_cells(cells) + "  " + shorten(entry.url, 80))
    print(f"{listed} source(s) due by {_when(now)}")


def _cells(values: Iterable[str]) -> str:
    return "  ".join(value.ljust(width) for value, width in zip(values, WIDTHS, strict=True))


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment is not None else "never"
