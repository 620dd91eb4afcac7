"""Snapshots to export as evidence, read in batches by id (keyset), and their bodies one at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

from store.errors import NotFound
from store.models import Article, Body, Reference, Snapshot, Source


@dataclass(frozen=True)
class SnapshotExport:
    """One stored version of a source as an export needs it: the fetches behind it and its body's identity.

    ``cited_by`` lists ``(article id, reference number)`` of each reference citing the source.
    """

    snapshot_id: int
    source_id: int
    source_url: str
    fetched_at: datetime
    http_status: int | None
    final_url: str | None
    redirect_chain: list[dict[str, Any]]
    fetches: list[dict[str, Any]]
    etag: str | None
    last_modified: str | None
    content_type: str | None
    content_hash: str | None
    extractor: str | None
    body_id: int | None
    body_sha256: str | None
    body_size: int | None
    cited_by: list[tuple[int, int]]


@dataclass(frozen=True)
class ExportSelection:
    """Which snapshots to export: those of one article's sources, of one source (canonical URL), or all."""

    article_id: int | None = None
    url: str | None = None


def count_snapshots(session: Session, selection: ExportSelection) -> int:
    """Return how many snapshots ``selection`` exports; raise ``NotFound`` for an unknown article or source."""
    query = _selected(select(func.count(Snapshot.id)), session, selection)
    return session.scalar(query) or 0


def snapshot_batches(session: Session, selection: ExportSelection, size: int) -> Iterator[list[SnapshotExport]]:
    """Yield the selected snapshots by id, ``size`` at a time; each batch is one query (plus its citations).

    A re-extraction's older rows (content hash moved to the newer row) are the same fetch and are left out.
    """
    columns = select(*_SNAPSHOT_COLUMNS, Source.url, Body.sha256, Body.size).join(Source, Source.id == Snapshot.source_id)
    query = _selected(columns.outerjoin(Body, Body.id == Snapshot.body_id), session, selection)
    after = 0
    while True:
        rows = session.execute(query.where(Snapshot.id > after).order_by(Snapshot.id).limit(size)).all()
        if not rows:
            return
        after = rows[-1].id
        cited = _cited_by(session, {row.source_id for row in rows})
        yield [_export(row, cited[row.source_id]) for row in rows]


def body_gzip(session: Session, body_id: int) -> bytes:
    """Return one stored body, gzip-compressed as stored."""
    return session.scalars(select(Body.data).where(Body.id == body_id)).one()


def _selected(query: Select[Any], session: Session, selection: ExportSelection) -> Select[Any]:
    """Restrict ``query`` (over snapshots) to the selection's current extractions."""
    query = query.where(Snapshot.content_hash.is_not(None))
    if selection.url is not None:
        source_id = session.scalar(select(Source.id).where(Source.url == selection.url))
        if source_id is None:
            raise NotFound(f"no source with URL {selection.url}")
        return query.where(Snapshot.source_id == source_id)
    if selection.article_id is not None:
        if session.get(Article, selection.article_id) is None:
            raise NotFound(f"no article with id {selection.article_id}")
        cited = select(Reference.source_id).where(Reference.article_id == selection.article_id)
        return query.where(Snapshot.source_id.in_(cited))
    return query


def _cited_by(session: Session, source_ids: set[int]) -> dict[int, list[tuple[int, int]]]:
    query = (
        select(Reference.source_id, Reference.article_id, Reference.number)
        .where(Reference.source_id.in_(sorted(source_ids)))
        .order_by(Reference.article_id, Reference.number)
    )
    cited: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for source_id, article_id, number in session.execute(query):
        cited[source_id].append((article_id, number))
    return cited


_SNAPSHOT_COLUMNS = (
    Snapshot.id, Snapshot.source_id, Snapshot.fetched_at, Snapshot.http_status, Snapshot.final_url,
    Snapshot.redirect_chain, Snapshot.fetches, Snapshot.etag, Snapshot.last_modified, Snapshot.content_type,
    Snapshot.content_hash, Snapshot.extractor, Snapshot.body_id,
)  # fmt: skip


def _export(row: Row[Any], cited_by: list[tuple[int, int]]) -> SnapshotExport:
    return SnapshotExport(
        row.id, row.source_id, row.url, row.fetched_at, row.http_status, row.final_url, list(row.redirect_chain or []),
        list(row.fetches or []), row.etag, row.last_modified, row.content_type, row.content_hash, row.extractor,
        row.body_id, row.sha256, row.size, cited_by,
    )  # fmt: skip
