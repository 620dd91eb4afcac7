"""``citetrack ingest``: parse an article (file or URL) and store its claims and references."""

from __future__ import annotations

import argparse
import sys

from crawler import config
from crawler.cli.options import add_address_options, add_db_option, add_format_option, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``ingest`` command."""
    parser = subparsers.add_parser(
        "ingest",
        help="ingest an article (HTML file, text file or http(s) URL)",
        description="Split an article into claims, find each claim's citation numbers and each numbered "
        "source's outlet, title and URL, and store them. Re-ingesting the same text changes nothing; "
        "changed text from the same file or URL is stored as a new version.",
    )
    parser.add_argument("source", metavar="PATH_OR_URL", help="an .html or .txt file, or an http(s) URL")
    add_address_options(parser)
    parser.add_argument(
        "--inline-links",
        action="store_true",
        help="treat each outbound link in the article body as a numbered source and the sentence carrying it as "
        "a claim (automatic for an HTML page with no numbered citations)",
    )
    add_db_option(parser)
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Ingest one article and print what was stored."""
    from crawler.jobs.ingest import ingest, read_article
    from store.engine import session_factory

    policy = config.address_policy(args.allow_private, args.allow_host)
    max_bytes = config.Config()["DOWNLOAD_MAXSIZE"]
    article = read_article(args.source, policy=policy, user_agent=config.user_agent(), max_bytes=max_bytes)
    summary, parsed = ingest(session_factory(config.db_url(args.db)), article, max_bytes, args.inline_links)
    for warning in parsed.warnings:
        print(f"citetrack ingest: warning: {warning}", file=sys.stderr)
    if args.format == "json":
        print_json(summary)
    else:
        state = "ingested" if summary["created"] else "already ingested (unchanged)"
        print(f"article {summary['article_id']} {state}: {summary['title'] or '(no title)'}")
        print(f"  version {summary['version']}, {summary['claims']} claims, {summary['references']} references")
        if summary["unresolved"]:
            print(f"  references without a URL: {summary['unresolved']}  (attach with `citetrack sources set-url`)")
        if summary["dangling_citations"]:
            print(f"  citations with no reference entry: {summary['dangling_citations']}")
    return 0
