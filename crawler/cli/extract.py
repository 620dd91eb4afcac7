"""``citetrack extract``: re-extract text from stored raw bodies, without fetching anything again."""

from __future__ import annotations

import argparse
import os

from crawler import config
from crawler.cli.options import add_db_option, add_format_option, count, print_json, print_table
from crawler.cli.progress import Progress
from crawler.report.text import shorten


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``extract`` command."""
    parser = subparsers.add_parser(
        "extract",
        help="re-extract text from stored bodies",
        description="Re-run text extraction on the stored raw body of each source's latest snapshot "
        "(no network). A changed text becomes a new snapshot; earlier snapshots keep theirs.",
    )
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--all", action="store_true", help="every source with a stored body")
    chosen.add_argument("--source", metavar="URL", help="only this source")
    parser.add_argument(
        "--workers", type=count, default=os.cpu_count() or 1, metavar="N",
        help="extraction processes (default: one per CPU; 0 extracts in this process)",
    )  # fmt: skip
    add_db_option(parser)
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Re-extract, store changed texts as new snapshots, and report per source."""
    from crawler.jobs.extract import reextract
    from store.engine import session_factory

    progress = Progress("extract")
    try:
        rows = reextract(
            session_factory(config.db_url(args.db)), args.source, args.workers,
            on_start=progress.start, on_each=lambda url: progress.advance(note=shorten(url, 80)),
        )  # fmt: skip
    finally:
        progress.close()
    if args.format == "json":
        print_json({"changed": sum(row["changed"] for row in rows), "sources": rows})
    else:
        print_table(
            ([shorten(r["url"], 60), r["snapshot_id"], r["new_snapshot_id"] or "-", r["error"] or ""] for r in rows),
            headers=["url", "snapshot", "new snapshot", "error"],
        )
    return 1 if any(row["error"] for row in rows) else 0
