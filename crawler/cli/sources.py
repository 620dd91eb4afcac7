"""``citetrack sources``: list cited sources and attach URLs to unresolved references."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from crawler import config
from crawler.cli.options import add_db_option, add_format_option, print_json, print_table, record_id, stream_json
from crawler.cli.sources_resolve import register_resolve
from crawler.enums import HealthStatus
from crawler.exceptions import UsageError
from crawler.report.text import archive_text, identifiers_text, shorten
from crawler.urls import is_http_url

if TYPE_CHECKING:
    from store.models import Reference


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sources`` command group (``list``, ``set-url``, ``resolve``)."""
    parser = subparsers.add_parser("sources", help="list and fix cited sources", description="Cited sources.")
    commands = parser.add_subparsers(dest="sources_command", metavar="SUBCOMMAND", required=True)

    listing = commands.add_parser(
        "list",
        help="list sources with their latest status",
        description="List an article's numbered sources, or every source with the articles that cite it.",
    )
    listing.add_argument("--article", type=record_id, metavar="ID", help="only this article's references")
    add_db_option(listing)
    add_format_option(listing)
    listing.set_defaults(handler=run_list)

    set_url = commands.add_parser(
        "set-url",
        help="attach a URL to a reference",
        description="Attach a URL to reference NUMBER of an article (e.g. one ingested without a link).",
    )
    set_url.add_argument("article_id", metavar="ARTICLE_ID", type=record_id)
    set_url.add_argument("number", metavar="NUMBER", type=record_id, help="the reference's number in the article")
    set_url.add_argument("url", metavar="URL", help="an http(s) URL")
    add_db_option(set_url)
    add_format_option(set_url)
    set_url.set_defaults(handler=run_set_url)

    register_resolve(commands)


def run_list(args: argparse.Namespace) -> int:
    """Print sources: one article's references, or all sources."""
    from store.engine import session_factory
    from crawler.jobs.sources import source_listing
    from store.queries import article_references

    factory = session_factory(config.db_url(args.db))
    with factory.begin() as session:
        if args.article is not None:
            rows: Iterable[dict[str, Any]] = [_reference_row(ref) for ref in article_references(session, args.article)]
        else:
            rows = source_listing(session)
        _print_list(args, rows)
    return 0


def _print_list(args: argparse.Namespace, rows: Iterable[dict[str, Any]]) -> None:
    """Print the rows as they come: JSON one element at a time, or a table."""
    if args.format == "json":
        stream_json(rows)
    elif args.article is not None:
        print_table(
            ([r["number"], shorten(r["outlet"], 30), shorten(r["title"], 40), r["status"], r["url"] or "-",
              archive_text(r), identifiers_text(r)] for r in rows),
            headers=["#", "outlet", "title", "status", "url", "archived copy", "identifiers"],
        )  # fmt: skip
    else:
        print_table(
            ([r["status"], r["url"], " ".join(f"{a['article_id']}[{a['number']}]" for a in r["articles"]),
              _cited_copies(r["articles"])] for r in rows),
            headers=["status", "url", "cited by", "archived copy"],
        )  # fmt: skip


def _cited_copies(citing: list[dict[str, Any]]) -> str:
    """Return the distinct archived copies the citing references name, each with its capture date."""
    copies = dict.fromkeys(archive_text(reference) for reference in citing if reference["archive_url"])
    return " ".join(copies) or "-"


def run_set_url(args: argparse.Namespace) -> int:
    """Attach a URL to one reference."""
    from crawler.jobs.sources import set_reference_url
    from store.engine import session_factory

    if not is_http_url(args.url):
        raise UsageError(f"{args.url!r} is not an http(s) URL")
    factory = session_factory(config.db_url(args.db))
    with factory.begin() as session:
        row = _reference_row(set_reference_url(session, args.article_id, args.number, args.url))
    if args.format == "json":
        print_json(row)
    else:
        print(f"reference [{row['number']}] of article {args.article_id} now points to {row['url']}")
    return 0


def _reference_row(reference: Reference) -> dict[str, Any]:
    from crawler.jobs.references import citation_details

    return {
        "number": reference.number,
        "outlet": reference.outlet,
        "title": reference.title,
        "url": reference.url,
        "status": reference.source.status if reference.source else HealthStatus.UNRESOLVED,
        "source_url": reference.source.url if reference.source else None,
        **citation_details(reference),
    }
