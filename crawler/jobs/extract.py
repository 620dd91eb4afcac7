"""Extraction from stored snapshots: a stored snapshot as a Document, and ``citetrack extract``'s re-extraction.

History stays sane: a snapshot's text is never rewritten (verifications point into it). When the extractor
now gives a different text for a source's latest snapshot, a new snapshot row is added with the same body,
fetch time and headers and the new text; it becomes the latest version. Older versions are left as they are.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from crawler.charset import decode_html
from crawler.exceptions import ExtractionError
from crawler.extract import Document, sniff_kind
from crawler.extract.body import extract_page
from crawler.extract.outlets import OutletRouter
from crawler.urls import canonicalize_url
from store.base import utcnow
from store.models import Body, Snapshot
from store.snapshots import add_reextraction, latest_with_bodies


def reextract(
    factory: sessionmaker[Session],
    url: str | None,
    workers: int,
    *,
    on_start: Callable[[int], None] = lambda total: None,
    on_each: Callable[[str], None] = lambda url: None,
) -> list[dict[str, Any]]:
    """Re-extract each source's latest stored body (all, or ``url``'s); store changed texts; return a row each."""
    with factory.begin() as session:
        canonical = canonicalize_url(url) if url is not None else None
        jobs = [_job(session, snapshot) for snapshot in latest_with_bodies(session, canonical)]
    on_start(len(jobs))
    rows = []
    for job, (document, error) in zip(jobs, _extract_all(jobs, workers), strict=True):
        on_each(job["url"])
        rows.append(_store(factory, job, document, error))
    return rows


def stored_document(session: Session, snapshot_id: int) -> tuple[Document, bytes, str | None] | None:
    """Return a stored snapshot's extraction and raw body (to judge a 304 or an unchanged re-fetch)."""
    snapshot = session.get(Snapshot, snapshot_id)
    if snapshot is None:
        return None
    body = session.get(Body, snapshot.body_id) if snapshot.body_id is not None else None
    text = snapshot.text or ""
    document = Document(
        "ok" if text.strip() else "empty",
        text,
        snapshot.title,
        snapshot.author,
        snapshot.published_at,
        sniff_kind(b"", snapshot.content_type),
        snapshot.extractor or "none",
    )
    return document, gzip.decompress(body.data) if body is not None else b"", snapshot.content_type


def _job(session: Session, snapshot: Snapshot) -> dict[str, Any]:
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


def _store(
    factory: sessionmaker[Session], job: dict[str, Any], document: Document | None, error: str | None
) -> dict[str, Any]:
    row = {
        "url": job["url"],
        "snapshot_id": job["snapshot_id"],
        "new_snapshot_id": None,
        "changed": False,
        "error": error,
    }
    if document is None or document.text == (job["text"] or ""):
        return row
    extraction = {
        "text": document.text,
        "title": document.title,
        "author": document.author,
        "published_at": document.published,
        "extractor": document.extractor,
        "extracted_at": utcnow(),
    }
    with factory.begin() as session:
        fresh = add_reextraction(session, session.get_one(Snapshot, job["snapshot_id"]), extraction)
    row.update(new_snapshot_id=fresh.id, changed=True)
    return row
