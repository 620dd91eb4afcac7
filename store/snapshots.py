"""Stored snapshots as extraction sees them: their text and raw body, and re-extractions added as new rows."""

from __future__ import annotations

import gzip
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crawler.extract import Document
from crawler.extract.sniff import sniff_kind
from crawler.urls import canonicalize_url
from store.crawl import latest_snapshots
from store.errors import NotFound
from store.models import Body, Check, Snapshot, Source


def snapshot_content(session: Session, snapshot_id: int) -> tuple[Document, bytes, str | None] | None:
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


def latest_with_bodies(session: Session, url: str | None = None) -> list[Snapshot]:
    """Return each source's latest snapshot that has a stored body (all sources, or the one with ``url``)."""
    query = select(Source.id).order_by(Source.id)
    if url is not None:
        canonical = canonicalize_url(url)
        query = query.where(Source.url == canonical)
        if session.scalar(query) is None:
            raise NotFound(f"no source with URL {canonical}")
    latest = latest_snapshots(session, list(session.scalars(query)))
    return [snapshot for snapshot in latest.values() if snapshot.body_id is not None]


def add_reextraction(session: Session, snapshot: Snapshot, document: Document, extracted_at: datetime) -> Snapshot:
    """Store a new extraction of ``snapshot``'s body as a new snapshot row; the old row keeps its text.

    The new row takes over the content hash (one row per source and hash) and the checks that fetched the
    body, so the latest check leads to the new text; the old row stays for the verifications made against it.
    """
    fields = {name: getattr(snapshot, name) for name in _COPIED_FIELDS}
    snapshot.content_hash = None
    session.flush()
    fresh = Snapshot(
        **fields,
        text=document.text,
        title=document.title,
        author=document.author,
        published_at=document.published,
        extractor=document.extractor,
        extracted_at=extracted_at,
    )
    session.add(fresh)
    session.flush()
    session.execute(update(Check).where(Check.snapshot_id == snapshot.id).values(snapshot_id=fresh.id))
    return fresh


_COPIED_FIELDS = (
    "source_id", "fetched_at", "http_status", "final_url", "redirect_chain", "fetches", "etag", "last_modified",
    "content_type", "content_hash", "body_id",
)  # fmt: skip
