"""``citetrack ingest``: parse an article (file or URL) and store its claims and references."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler import config
from crawler.cli.options import add_address_options, add_db_option, add_format_option, print_json
from crawler.exceptions import InputTooLarge, UsageError
from crawler.fetch import fetch_url
from crawler.ingest import parse_article
from crawler.ingest.decode import DEFAULT_MAX_BYTES as MAX_INPUT_BYTES
from crawler.urls import is_http_url
from store.engine import session_factory
from store.queries import store_article


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
    add_db_option(parser)
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Ingest one article and print what was stored."""
    body, origin, content_type, url, filename = _read_input(args)
    parsed = parse_article(body, content_type=content_type, filename=filename, url=url)
    factory = session_factory(config.db_url(args.db))
    with factory.begin() as session:
        article, created = store_article(session, parsed, origin)
        dangling = sorted({c.number for claim in article.claims for c in claim.citations if c.reference is None})
        summary = {
            "article_id": article.id,
            "title": article.title,
            "claims": len(article.claims),
            "references": len(article.references),
            "version": article.version,
            "created": created,
            "unresolved": [r.number for r in article.references if r.url is None],
            "dangling_citations": dangling,
            "warnings": list(parsed.warnings),
        }
    for warning in parsed.warnings:
        print(f"citetrack ingest: warning: {warning}", file=sys.stderr)
    if args.format == "json":
        print_json(summary)
    else:
        state = "ingested" if created else "already ingested (unchanged)"
        print(f"article {summary['article_id']} {state}: {summary['title'] or '(no title)'}")
        print(f"  version {summary['version']}, {summary['claims']} claims, {summary['references']} references")
        if summary["unresolved"]:
            print(f"  references without a URL: {summary['unresolved']}  (attach with `citetrack sources set-url`)")
        if dangling:
            print(f"  citations with no reference entry: {dangling}")
    return 0


def _read_input(args: argparse.Namespace) -> tuple[bytes, str, str | None, str | None, str | None]:
    """Return ``(body, origin, content_type, url, filename)`` for a path or URL."""
    if is_http_url(args.source):
        policy = config.address_policy(args.allow_private, args.allow_host)
        page = fetch_url(args.source, policy=policy, max_bytes=MAX_INPUT_BYTES, user_agent=config.user_agent())
        return page.body, page.final_url, page.headers.get("content-type") or "text/html", page.final_url, None
    path = Path(args.source)
    if not path.is_file():
        raise UsageError(f"{args.source}: no such file (give a path to an .html/.txt file or an http(s) URL)")
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise InputTooLarge(f"{path}: {size:,} bytes is over the {MAX_INPUT_BYTES:,}-byte limit for an article")
    return path.read_bytes(), str(path.resolve()), None, None, path.name
