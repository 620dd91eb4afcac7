"""``citetrack discover``: read the registered feeds and ingest new and changed articles (the ``articles`` spider)."""

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
    print_table,
)
from crawler.cli.progress import Progress
from crawler.report.text import shorten


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``discover`` command."""
    parser = subparsers.add_parser(
        "discover",
        help="find new and changed articles in the registered feeds and ingest them",
        description="Read every feed registered with `citetrack feeds add` (RSS/Atom, sitemap, listing page) with "
        "the Scrapy spider `articles`, fetch the articles they list politely, and ingest them as `citetrack "
        "ingest URL` does: unchanged text changes nothing, changed text becomes a new version. The new sources "
        "are then due for `citetrack crawl`. Exit 1 when a feed could not be read.",
    )
    add_set_option(parser, "DOWNLOAD_DELAY=0")
    add_address_options(parser)
    add_db_option(parser)
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Discover in a child process, then report the feeds read and the articles ingested."""
    from crawler.jobs.discover import run_discover

    db_url = config.db_url(args.db)
    config.Config(args.settings)  # a bad -s or environment value is a usage error before anything runs
    config.crawl_settings(args.settings, db_url)
    progress = Progress("discover")
    try:
        discovery = run_discover(
            db_url, ["LOG_LEVEL=ERROR", *address_settings(args), *args.settings],
            on_progress=lambda line: _advance(progress, line),
        )  # fmt: skip
    finally:
        progress.close()
    if args.format == "json":
        print_json(discovery.summary)
    else:
        _print_tables(discovery.summary)
    if discovery.exit_code == EXIT_INTERRUPTED:
        return EXIT_INTERRUPTED
    return 0 if discovery.exit_code == 0 else 1


def _advance(progress: Progress, line: dict[str, Any]) -> None:
    progress.start(line["total"])
    progress.advance(note=shorten(line.get("url"), 80))


def _print_tables(summary: dict[str, Any]) -> None:
    if not summary["feeds"] and not summary["interrupted"]:
        print("no feeds registered: add one with `citetrack feeds add URL`")
        return
    print_table(
        ([row["id"], shorten(row["url"], 60), row["kind"] or "-", row["status"], _count(row["entries"]),
          shorten(row["error"], 60) or "-"] for row in summary["feeds"]),
        headers=["feed", "url", "kind", "status", "articles", "error"],
    )  # fmt: skip
    if summary["articles"]:
        print()
        print_table(
            ([row["outcome"], row["article_id"] or "-", row["version"] or "-", _count(row["references"]),
              shorten(row["url"], 60), shorten(row["error"], 50) or "-"] for row in summary["articles"]),
            headers=["outcome", "article", "version", "references", "url", "error"],
        )  # fmt: skip
    line = ", ".join(f"{key} {summary[key]}" for key in ("new", "changed", "unchanged", "failed"))
    feeds = f"feeds: read {summary['feeds_read']}, not modified {summary['feeds_not_modified']}, "
    print(f"articles: {line}; {feeds}failed {summary['feeds_failed']}" + (
        " (interrupted: run again to finish)" if summary["interrupted"] else ""
    ))


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)
