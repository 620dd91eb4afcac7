"""``citetrack extract``: re-extract text from stored raw bodies, without fetching anything again.

History stays sane: a snapshot's text is never rewritten (verifications point into it). When the extractor
now gives a different text for a source's latest snapshot, a new snapshot row is added with the same body,
fetch time and headers and the new text; it becomes the latest version. Older versions are left as they are.
"""

from __future__ import annotations

import argparse
import gzip
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from crawler import config
from crawler.charset import decode_html
from crawler.cli.options import add_db_option, add_format_option, count, print_json, print_table
from crawler.cli.progress import Progress
from crawler.exceptions import ExtractionError
from crawler.extract import Document, sniff_kind
from crawler.pipelines.extraction import extract_page
from crawler.report.text import shorten
from spiders.outlets import OutletRouter
from store.base import utcnow
from store.engine import session_factory
from store.models import Body, Snapshot
from store.snapshots import add_reextraction, latest_with_bodies


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
    factory = session_factory(config.db_url(args.db))
    with factory.begin() as session:
        jobs = [_job(session, snapshot) for snapshot in latest_with_bodies(session, args.source)]
    rows = []
    progress = Progress("extract", len(jobs))
    for job, (document, error) in zip(jobs, _extract_all(jobs, args.workers), strict=True):
        progress.advance(note=shorten(job["url"], 80))
        rows.append(_store(factory, job, document, error))
    progress.close()
    if args.format == "json":
        print_json({"changed": sum(row["changed"] for row in rows), "sources": rows})
    else:
        print_table(
            ([shorten(r["url"], 60), r["snapshot_id"], r["new_snapshot_id"] or "-", r["error"] or ""] for r in rows),
            headers=["url", "snapshot", "new snapshot", "error"],
        )
    return 1 if any(row["error"] for row in rows) else 0


def _job(session: Any, snapshot: Snapshot) -> dict[str, Any]:
    """Return what a worker needs to re-extract one snapshot (plain values, picklable)."""
    body = session.get(Body, snapshot.body_id)
    url = snapshot.final_url or snapshot.source.url
    # The adapter the crawl used, else one for the URL's domain (only HTML bodies are adapted).
    recorded = next((fetch["outlet"] for fetch in snapshot.fetches or [] if fetch.get("outlet")), None)
    adapter = OutletRouter().for_url(url)
    outlet = recorded or (adapter.name if adapter else None)
    return {
        "snapshot_id": snapshot.id,
        "url": url,
        "body": gzip.decompress(body.data) if body else b"",
        "content_type": snapshot.content_type,
        "outlet": outlet,
        "text": snapshot.text,
    }


def _extract_all(jobs: list[dict[str, Any]], workers: int) -> list[tuple[Document | None, str | None]]:
    if workers <= 0 or len(jobs) < 2:
        return [_extract(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as executor:
        return list(executor.map(_extract, jobs, chunksize=8))


def _extract(job: dict[str, Any]) -> tuple[Document | None, str | None]:
    body, content_type = job["body"], job["content_type"]
    html = decode_html(body, content_type) if sniff_kind(body, content_type) == "html" else None
    try:
        return extract_page(body, content_type, job["url"], job["outlet"], html), None
    except ExtractionError as error:
        return None, str(error)


def _store(factory: Any, job: dict[str, Any], document: Document | None, error: str | None) -> dict[str, Any]:
    row = {
        "url": job["url"],
        "snapshot_id": job["snapshot_id"],
        "new_snapshot_id": None,
        "changed": False,
        "error": error,
    }
    if document is None or document.text == (job["text"] or ""):
        return row
    with factory.begin() as session:
        fresh = add_reextraction(session, session.get(Snapshot, job["snapshot_id"]), document, utcnow())
    row.update(new_snapshot_id=fresh.id, changed=True)
    return row
