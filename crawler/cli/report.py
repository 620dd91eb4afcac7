"""``citetrack report``: an article's claims with the latest check against each citation, in four formats."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler import config
from crawler.cli.options import add_db_option, add_format_option, record_id
from crawler.exceptions import InputError
from crawler.report.summary import ONLY_CHOICES


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` command."""
    parser = subparsers.add_parser(
        "report",
        help="show how well each claim of an article is supported by its sources",
        description=(
            "Print an article's claims with the latest verdict against each cited source, the evidence "
            "passages, which citation carries the support, and the sources' health status."
        ),
    )
    parser.add_argument("article_id", metavar="ARTICLE_ID", type=record_id, help="article id (from `ingest`)")
    add_format_option(parser, ("table", "json", "csv", "html"))
    parser.add_argument(
        "--only",
        choices=ONLY_CHOICES,
        default="all",
        help="unsupported: claims no citation supports; unavailable: claims with a source that gave no text "
        "(default: all)",
    )
    parser.add_argument("--output", metavar="FILE", type=Path, help="write to FILE instead of standard output")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Build the report and write it in the chosen format."""
    from crawler.jobs.report import build_report
    from crawler.report.formats import RENDERERS
    from store.engine import session_factory

    factory = session_factory(config.db_url(args.db))
    with factory.begin() as session:
        report = build_report(session, args.article_id, args.only)
    rendered = RENDERERS[args.format](report)
    if args.output is None:
        sys.stdout.write(rendered)
        return 0
    try:
        args.output.write_text(rendered, encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write {args.output}: {error.strerror}") from error
    print(f"wrote {args.format} report of article {args.article_id} to {args.output}", file=sys.stderr)
    return 0
