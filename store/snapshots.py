"""Stored snapshots for re-extraction: the latest with a body, and a new extraction added as a new row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store.crawl import latest_snapshots
from store.errors import NotFound
from store.models import Check, Snapshot, Source
from store.verify import mark_sources


def latest_with_bodies(session: Session, url: str | None = None) -> list[Snapshot]:
    """Return each source's latest snapshot that has a stored body (all sources, or the one with canonical ``url``)."""
    query = select(Source.id).order_by(Source.id)
    if url is not None:
        query = query.where(Source.url == url)
        if session.scalar(query) is None:
            raise NotFound(f"no source with URL {url}")
    latest = latest_snapshots(session, list(session.scalars(query)))
    return [snapshot for snapshot in latest.values() if snapshot.body_id is not None]


def add_reextraction(session: Session, snapshot: Snapshot, extraction: dict[str, Any]) -> Snapshot:
    """Store a new extraction of ``snapshot``'s body as a new snapshot row; the old row keeps its text.

    ``extraction`` holds the new row's ``text``, ``title``, ``author``, ``published_at``, ``extractor`` and
    ``extracted_at``.

    The new row takes over the content hash (one row per source and hash) and the checks that fetched the
    body, so the latest check leads to the new text; the old row stays for the verifications made against it.
    The source is marked for ``verify``.
    """
    fields = {name: getattr(snapshot, name) for name in _COPIED_FIELDS}
    snapshot.content_hash = None
    session.flush()
    fresh = Snapshot(**fields, **extraction)
    session.add(fresh)
    session.flush()
    session.execute(update(Check).where(Check.snapshot_id == snapshot.id).values(snapshot_id=fresh.id))
    mark_sources(session, [snapshot.source_id])
    return fresh


_COPIED_FIELDS = (
    "source_id", "fetched_at", "http_status", "final_url", "redirect_chain", "fetches", "etag", "last_modified",
    "content_type", "content_hash", "body_id",
)  # fmt: skip
