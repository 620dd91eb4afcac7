"""Crawl queries: which sources are due (a page at a time), what their last snapshot was, and recording each check."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, String, func, insert, or_, select, tuple_, update
from sqlalchemy.orm import Session

from store.base import in_lists
from store.errors import NotFound
from store.models import Body, Check, Flag, Reference, Snapshot, Source
from store.upsert import upsert

# A drift flag is not an availability problem (crawler.enums.HealthStatus.DRIFTED; the store imports no crawler).
DRIFTED = "drifted"


@dataclass(frozen=True, slots=True)
class DueSource:
    """A source to crawl and the validators of its latest snapshot (for a conditional request)."""

    source_id: int
    url: str
    snapshot_id: int | None = None
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    next_check_at: datetime | None = None


@dataclass
class CheckRecord:
    """What to store for one check: the Check row, and a new Body and Snapshot when the content changed."""

    source_id: int
    checked_at: datetime
    outcome: str
    status: str
    evidence: dict[str, Any]
    http_status: int | None = None
    final_url: str | None = None
    redirect_chain: list[dict[str, Any]] = field(default_factory=list)
    fetches: list[dict[str, Any]] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    content_hash: str | None = None
    body_size: int = 0
    body_gzip: bytes | None = None
    text: str | None = None
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    extractor: str | None = None
    snapshot_id: int | None = None
    # When the source is due again (the due policy's answer); None: at once.
    next_check_at: datetime | None = None


def due_page(
    session: Session,
    *,
    after: DueSource | None = None,
    limit: int,
    article_id: int | None = None,
    url: str | None = None,
    every: bool = False,
    checked_before: datetime | None = None,
    due_at: datetime | None = None,
) -> list[DueSource]:
    """Return the next ``limit`` sources to crawl after ``after`` (keyset), with their latest validators.

    The sources are one (canonical) URL, one article's, all, those due by ``due_at`` (``next_check_at`` at or
    before it, in next-check order: ``crawl --due``), or those never checked (default; with ``checked_before``,
    also those last checked before that time: ``crawl --due DAYS``). Other selections come in id order.
    """
    query = select(Source.id, Source.url, Source.next_check_at).where(
        *_due_conditions(session, article_id, url, every, checked_before, due_at)
    )
    if due_at is not None:
        query = query.order_by(Source.next_check_at, Source.id)
        if after is not None:
            query = query.where(tuple_(Source.next_check_at, Source.id) > tuple_(after.next_check_at, after.source_id))
    else:
        query = query.order_by(Source.id)
        if after is not None:
            query = query.where(Source.id > after.source_id)
    rows = session.execute(query.limit(limit)).all()
    latest = latest_validators(session, [row.id for row in rows])
    return [_due(row.id, row.url, row.next_check_at, latest.get(row.id)) for row in rows]


def count_due(
    session: Session,
    *,
    article_id: int | None = None,
    url: str | None = None,
    every: bool = False,
    checked_before: datetime | None = None,
    due_at: datetime | None = None,
) -> int:
    """Return how many sources ``due_page`` would hand out, page after page (the same selection)."""
    conditions = _due_conditions(session, article_id, url, every, checked_before, due_at)
    return session.scalar(select(func.count()).select_from(Source).where(*conditions)) or 0


@dataclass(frozen=True, slots=True)
class DueEntry:
    """A source in the due listing: when it is due, and what it was when last checked."""

    source_id: int
    url: str
    status: str
    last_checked_at: datetime | None
    next_check_at: datetime


def due_listing_page(session: Session, due_at: datetime, *, after: DueEntry | None, limit: int) -> list[DueEntry]:
    """Return the next ``limit`` sources due by ``due_at`` after ``after``, in next-check order (keyset)."""
    query = select(Source.id, Source.url, Source.status, Source.last_checked_at, Source.next_check_at).where(
        Source.next_check_at <= due_at
    )
    if after is not None:
        query = query.where(tuple_(Source.next_check_at, Source.id) > tuple_(after.next_check_at, after.source_id))
    rows = session.execute(query.order_by(Source.next_check_at, Source.id).limit(limit))
    return [DueEntry(*row) for row in rows]


def _due_conditions(
    session: Session,
    article_id: int | None,
    url: str | None,
    every: bool,
    checked_before: datetime | None,
    due_at: datetime | None,
) -> list[ColumnElement[bool]]:
    """Return the WHERE conditions of a selection of sources to crawl; raise ``NotFound`` for an unknown URL."""
    if url is not None:
        if session.scalar(select(Source.id).where(Source.url == url)) is None:
            raise NotFound(f"no source with URL {url}")
        return [Source.url == url]
    if article_id is not None:
        return [Source.id.in_(select(Reference.source_id).where(Reference.article_id == article_id))]
    if due_at is not None:
        return [Source.next_check_at <= due_at]
    if checked_before is not None:
        return [or_(Source.last_checked_at.is_(None), Source.last_checked_at < checked_before)]
    return [] if every else [Source.last_checked_at.is_(None)]


def make_due(session: Session, source_ids: Sequence[int], at: datetime) -> None:
    """Make these sources due by ``at`` (ingest: the sources of a new or changed article are checked at once)."""
    for chunk in in_lists(sorted(set(source_ids))):
        session.execute(
            update(Source).where(Source.id.in_(chunk), Source.next_check_at > at).values(next_check_at=at)
        )


def schedule_facts(session: Session, source_ids: Sequence[int]) -> dict[int, tuple[str, bool]]:
    """Return each source's URL and whether it has an open, confirmed availability flag (the due policy's input)."""
    facts: dict[int, tuple[str, bool]] = {}
    for chunk in in_lists(sorted(set(source_ids))):
        confirmed = (
            select(Flag.id)
            .where(Flag.source_id == Source.id, Flag.resolved_at.is_(None), Flag.confirmed, Flag.status != DRIFTED)
            .exists()
        )
        for source_id, url, is_confirmed in session.execute(
            select(Source.id, Source.url, confirmed).where(Source.id.in_(chunk))
        ):
            facts[source_id] = (url, bool(is_confirmed))
    return facts


def latest_snapshots(session: Session, source_ids: Sequence[int]) -> dict[int, Snapshot]:
    """Return the snapshot of each given source's latest check that has one, by source id.

    The latest check, not the newest row: a source that flips back to an earlier version (A, B, A) points at
    the stored A again, since a snapshot is stored once per content hash.
    """
    return {row.Snapshot.source_id: row.Snapshot for row in _of_latest_checks(session, source_ids, Snapshot)}


def latest_validators(session: Session, source_ids: Sequence[int]) -> dict[int, Row[Any]]:
    """Return the id, content hash and validators of ``latest_snapshots``'s snapshots (not their text), by source id."""
    columns = (Snapshot.id, Snapshot.source_id, Snapshot.content_hash, Snapshot.etag, Snapshot.last_modified)
    return {row.source_id: row for row in _of_latest_checks(session, source_ids, *columns)}


def _of_latest_checks(session: Session, source_ids: Sequence[int], *columns: Any) -> Iterator[Row[Any]]:
    """Yield ``columns`` of the snapshot of each source's latest check that has one, ``IN`` list by ``IN`` list."""
    for chunk in in_lists(source_ids):
        latest = (
            select(func.max(Check.id))
            .where(Check.source_id.in_(chunk), Check.snapshot_id.is_not(None))
            .group_by(Check.source_id)
        ).scalar_subquery()
        query = select(*columns).join(Check, Check.snapshot_id == Snapshot.id).where(Check.id.in_(latest))
        yield from session.execute(query)


def record_checks(session: Session, records: Sequence[CheckRecord]) -> list[int | None]:
    """Store a batch of checks in a few statements; return each check's snapshot id (new, kept, or None).

    A record whose body is new to its source gets a Snapshot; a body the source served before (or that a
    concurrent crawl just stored) gets that snapshot (upsert on source and content hash). Its Body is stored
    once per content hash.
    """
    records = [storable(record) for record in records]
    fresh = [record for record in records if _makes_snapshot(record)]
    body_ids = store_bodies(session, fresh)
    stored = store_snapshots(session, fresh, body_ids)
    snapshot_ids = [
        stored[(record.source_id, record.content_hash)] if _makes_snapshot(record) else record.snapshot_id
        for record in records
    ]
    if records:
        session.execute(insert(Check), [_check_row(r, sid) for r, sid in zip(records, snapshot_ids, strict=True)])
        session.execute(update(Source), [_source_row(record) for record in records])
    return snapshot_ids


def store_snapshots(
    session: Session, records: Sequence[CheckRecord], body_ids: dict[str, int]
) -> dict[tuple[int, str | None], int]:
    """Return the snapshot id of each record's (source, content hash), inserting the versions not stored yet."""
    unique = {(record.source_id, record.content_hash): record for record in records}
    if not unique:
        return {}
    rows = [_snapshot_row(record, body_ids[record.content_hash or ""]) for record in unique.values()]
    session.execute(upsert(session, Snapshot).on_conflict_do_nothing(), rows)
    stored: dict[tuple[int, str | None], int] = {}
    for chunk in in_lists(sorted({source_id for source_id, _ in unique})):
        query = select(Snapshot.source_id, Snapshot.content_hash, Snapshot.id).where(
            Snapshot.source_id.in_(chunk), Snapshot.content_hash.in_(sorted({digest or "" for _, digest in unique}))
        )
        for source_id, digest, snapshot_id in session.execute(query):
            if (source_id, digest) in unique:
                stored[(source_id, digest)] = snapshot_id
    return stored


def store_bodies(session: Session, records: Sequence[CheckRecord]) -> dict[str, int]:
    """Return the body id of each record's content hash, inserting new bodies (race-safe upsert)."""
    unique = {record.content_hash: record for record in records if record.content_hash}
    if not unique:
        return {}
    rows = [{"sha256": digest, "size": r.body_size, "data": r.body_gzip} for digest, r in unique.items()]
    session.execute(upsert(session, Body).on_conflict_do_nothing(), rows)
    return {
        digest: body_id
        for digest, body_id in session.execute(select(Body.sha256, Body.id).where(Body.sha256.in_(unique)))
    }


def checks_since(session: Session, since: datetime, source_ids: Iterable[int]) -> list[tuple[Check, Source]]:
    """Return the latest check made at or after ``since`` for each given source, in source order."""
    rows: list[tuple[Check, Source]] = []
    for chunk in in_lists(list(source_ids)):
        newest = (
            select(func.max(Check.id))
            .where(Check.source_id.in_(chunk), Check.checked_at >= since)
            .group_by(Check.source_id)
        ).scalar_subquery()
        query = select(Check, Source).join(Source, Source.id == Check.source_id).where(Check.id.in_(newest))
        rows.extend((check, source) for check, source in session.execute(query))
    return sorted(rows, key=lambda pair: pair[1].id)


def storable(record: CheckRecord) -> CheckRecord:
    """Return ``record`` with values every database can store: no NUL characters or lone surrogates in text,
    and no header value longer than its column (dropped, since a cut validator or URL would be wrong).

    The fields that were changed are listed in the check's evidence as ``"cleaned"``.
    """
    changes: dict[str, Any] = {}
    for spec in fields(record):
        value = getattr(record, spec.name)
        clean = _clean(value)
        limit = _LIMITS.get(spec.name)
        if isinstance(clean, str) and limit is not None and len(clean) > limit:
            clean = None
        if clean != value:
            changes[spec.name] = clean
    if not changes:
        return record
    cleaned = sorted(changes)
    evidence = {**changes.pop("evidence", record.evidence), "cleaned": cleaned}
    return replace(record, **changes, evidence=evidence)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        text = value.replace("\x00", "")
        return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    return value


# Column lengths of the header values a check stores (PostgreSQL refuses longer ones; SQLite would keep them).
_LIMITS = {
    name: column.type.length
    for table in (Snapshot.__table__, Check.__table__)
    for name, column in table.columns.items()
    if isinstance(column.type, String) and column.type.length
}


def _makes_snapshot(record: CheckRecord) -> bool:
    return record.outcome == "fetched" and record.body_gzip is not None and record.content_hash is not None


def _snapshot_row(record: CheckRecord, body_id: int) -> dict[str, Any]:
    return {
        "source_id": record.source_id,
        "fetched_at": record.checked_at,
        "http_status": record.http_status,
        "final_url": record.final_url,
        "redirect_chain": record.redirect_chain,
        "fetches": record.fetches,
        "etag": record.etag,
        "last_modified": record.last_modified,
        "content_type": record.content_type,
        "content_hash": record.content_hash,
        "body_id": body_id,
        "text": record.text,
        "title": record.title,
        "author": record.author,
        "published_at": record.published_at,
        "extractor": record.extractor,
        "extracted_at": record.checked_at,
    }


def _check_row(record: CheckRecord, snapshot_id: int | None) -> dict[str, Any]:
    return {
        "source_id": record.source_id,
        "checked_at": record.checked_at,
        "outcome": record.outcome,
        "status": record.status,
        "http_status": record.http_status,
        "final_url": record.final_url,
        "evidence": record.evidence,
        "snapshot_id": snapshot_id,
    }


def _source_row(record: CheckRecord) -> dict[str, Any]:
    return {
        "id": record.source_id,
        "status": record.status,
        "status_at": record.checked_at,
        "last_checked_at": record.checked_at,
        "next_check_at": record.next_check_at or record.checked_at,
    }


def _due(source_id: int, url: str, next_check_at: datetime, snapshot: Row[Any] | None) -> DueSource:
    if snapshot is None:
        return DueSource(source_id, url, next_check_at=next_check_at)
    return DueSource(
        source_id, url, snapshot.id, snapshot.content_hash, snapshot.etag, snapshot.last_modified, next_check_at
    )

