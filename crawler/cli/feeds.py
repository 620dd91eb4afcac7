"""``citetrack feeds``: register, list and remove the feeds, sitemaps and listing pages ``discover`` reads."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any

from crawler import config
from crawler.cli.options import add_db_option, add_format_option, print_json, print_table
from crawler.enums import FEED_KINDS
from crawler.exceptions import UsageError
from crawler.report.text import shorten
from crawler.urls import is_http_url

if TYPE_CHECKING:
    from store.models import Feed


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``feeds`` command group (``add``, ``list``, ``remove``)."""
    parser = subparsers.add_parser(
        "feeds", help="register publisher feeds for article discovery",
        description="The RSS/Atom feeds, sitemaps and listing pages that `citetrack discover` reads.",
    )  # fmt: skip
    commands = parser.add_subparsers(dest="feeds_command", metavar="SUBCOMMAND", required=True)

    adding = commands.add_parser(
        "add", help="register a feed, sitemap or listing page",
        description="Register URL; `citetrack discover` reads it. Its kind is detected from what it serves "
        "unless given. Adding a registered URL again changes nothing.",
    )  # fmt: skip
    adding.add_argument("url", metavar="URL", help="an http(s) URL: a feed, a sitemap (index), robots.txt or a page")
    adding.add_argument("--kind", choices=FEED_KINDS, help="what URL serves (default: detected at the first read)")
    add_db_option(adding)
    add_format_option(adding)
    adding.set_defaults(handler=run_add)

    listing = commands.add_parser(
        "list", help="list registered feeds", description="List the feeds with what their last read found."
    )
    add_db_option(listing)
    add_format_option(listing)
    listing.set_defaults(handler=run_list)

    removing = commands.add_parser("remove", help="unregister a feed", description="Unregister a feed.")
    removing.add_argument("feed", metavar="URL|ID", help="the feed's URL or id (see `citetrack feeds list`)")
    add_db_option(removing)
    add_format_option(removing)
    removing.set_defaults(handler=run_remove)


def run_add(args: argparse.Namespace) -> int:
    """Register a feed and print it."""
    from store.engine import session_factory
    from store.feeds import add_feed

    if not is_http_url(args.url):
        raise UsageError(f"{args.url!r} is not an http(s) URL")
    with session_factory(config.db_url(args.db)).begin() as session:
        feed, created = add_feed(session, args.url.strip(), args.kind)
        row = {**feed_row(feed), "created": created}
    if args.format == "json":
        print_json(row)
    else:
        print(f"feed {row['id']} {'added' if created else 'already registered'}: {row['url']} ({_kind(row)})")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print every registered feed."""
    from store.engine import session_factory
    from store.feeds import all_feeds

    with session_factory(config.db_url(args.db)).begin() as session:
        rows = [feed_row(feed) for feed in all_feeds(session)]
    if args.format == "json":
        print_json(rows)
    else:
        print_table(
            ([row["id"], shorten(row["url"], 60), _kind(row), _when(row["last_checked_at"]),
              "-" if row["entries"] is None else row["entries"], shorten(row["last_error"], 50) or "-"]
             for row in rows),
            headers=["id", "url", "kind", "last read", "articles", "last error"],
        )  # fmt: skip
    return 0


def run_remove(args: argparse.Namespace) -> int:
    """Unregister a feed and print what was removed."""
    from store.engine import session_factory
    from store.feeds import remove_feed

    with session_factory(config.db_url(args.db)).begin() as session:
        row = feed_row(remove_feed(session, args.feed.strip()))
    if args.format == "json":
        print_json({**row, "removed": True})
    else:
        print(f"feed {row['id']} removed: {row['url']}")
    return 0


def feed_row(feed: Feed) -> dict[str, Any]:
    """Return a feed as ``feeds list --format json`` prints it (a README contract)."""
    return {
        "id": feed.id, "url": feed.url, "kind": feed.kind, "kind_given": feed.kind_given, "added_at": feed.added_at,
        "last_checked_at": feed.last_checked_at, "last_http_status": feed.last_http_status, "entries": feed.entries,
        "etag": feed.etag, "last_modified": feed.last_modified, "last_error": feed.last_error,
    }  # fmt: skip


def _kind(row: dict[str, Any]) -> str:
    return row["kind"] or "detect"


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "never"
