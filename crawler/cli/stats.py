"""``citetrack stats``: the store at a glance (articles, claims, checks by verdict, sources, problems, last crawl)."""

from __future__ import annotations

import argparse
import sys

from crawler import config
from crawler.cli.options import add_db_option, add_format_option, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``stats`` command."""
    parser = subparsers.add_parser(
        "stats",
        help="the store at a glance: articles, claims, checks by verdict, sources by status, problems, last crawl",
        description="Print the overview of the whole store: how many articles and claims, every check by its "
        "latest verdict, every source by its status, the problem sources (open and confirmed) and when the "
        "last crawl checked a source. The same numbers as the web's /api/stats.",
    )
    add_db_option(parser)
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the store's totals."""
    from crawler.jobs.overview import store_stats
    from crawler.report.stats import render_stats
    from store.engine import session_factory

    with session_factory(config.db_url(args.db)).begin() as session:
        stats = store_stats(session)
    if args.format == "json":
        print_json(stats)
    else:
        sys.stdout.write(render_stats(stats))
    return 0
