"""``citetrack claims``: list an article's claims with their citation numbers and quoted spans."""

from __future__ import annotations

import argparse

from crawler import config
from crawler.cli.options import add_db_option, add_format_option, print_table, record_id, stream_json
from crawler.report.text import shorten


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``claims`` command."""
    parser = subparsers.add_parser(
        "claims",
        help="list an article's claims",
        description="List the claims (sentences with citation markers) of an article.",
    )
    parser.add_argument("article_id", metavar="ARTICLE_ID", type=record_id, help="article id (from `ingest`)")
    add_db_option(parser)
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the claims of one article."""
    from store.engine import session_factory
    from store.queries import article_claims

    factory = session_factory(config.db_url(args.db))
    with factory.begin() as session:
        claims = article_claims(session, args.article_id)
        rows = (
            {
                "id": claim.id,
                "index": claim.index,
                "text": claim.text,
                "citations": [citation.number for citation in claim.citations],
                "quotes": [quote["text"] for quote in claim.quotes],
                "start": claim.start,
                "end": claim.end,
            }
            for claim in claims
        )
        if args.format == "json":
            stream_json(rows)
        else:
            print_table(
                ([row["index"], shorten(row["text"], 80), "".join(f"[{n}]" for n in row["citations"])] for row in rows),
                headers=["#", "claim", "cites"],
            )
    return 0
