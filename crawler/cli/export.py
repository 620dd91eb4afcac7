"""``citetrack export warc``: stored snapshots as a WARC file, the format web archives and courts use."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from crawler import config
from crawler.cli.options import add_db_option, add_format_option, print_json, record_id
from crawler.cli.progress import Progress
from crawler.urls import canonicalize_url


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``export`` command and its ``warc`` format."""
    parser = subparsers.add_parser(
        "export", help="export stored evidence (WARC)", description="Export what citetrack stored, as evidence."
    )
    formats = parser.add_subparsers(dest="export_format", metavar="FORMAT", required=True)
    warc = formats.add_parser(
        "warc",
        help="stored snapshots as a WARC 1.1 file",
        description="Write the stored snapshots of one article's sources, one source or all as a WARC 1.1 file: "
        "per snapshot, the request and response of each HTTP exchange (every redirect hop, the landing page "
        "and its document) dated at the fetch time, the stored body byte for byte in the response that "
        "brought it, and a metadata record with citetrack's ids and content hash. Validate with `warcio check`.",
    )
    chosen = warc.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--article", type=record_id, metavar="ID", help="the snapshots of this article's sources")
    chosen.add_argument("--source", metavar="URL", help="the snapshots of this source")
    chosen.add_argument("--all", action="store_true", help="every stored snapshot")
    warc.add_argument(
        "--output", required=True, type=Path, metavar="FILE.warc.gz",
        help="the file to write (.warc.gz, a gzip member per record; .warc, uncompressed); written only when complete",
    )  # fmt: skip
    add_db_option(warc)
    add_format_option(warc)
    warc.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the WARC file and say what is in it."""
    from crawler.jobs.warc import export_warc
    from store.engine import session_factory
    from store.exports import ExportSelection

    selection = ExportSelection(
        article_id=args.article, url=canonicalize_url(args.source) if args.source is not None else None
    )
    progress = Progress("export")
    try:
        summary = export_warc(
            session_factory(config.db_url(args.db)), selection, args.output,
            on_start=progress.start, on_progress=progress.advance,
        )  # fmt: skip
    finally:
        progress.close()
    if args.format == "json":
        print_json(asdict(summary))
    else:
        note = f", {summary.reconstructed} with headers rebuilt (stored before exchanges were kept)" if summary.reconstructed else ""
        print(f"wrote {summary.output}: {summary.snapshots} snapshots, {summary.records} records, {summary.bytes} bytes{note}")
    return 0
