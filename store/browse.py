"""Read-only, paginated listings for the web API: articles, sources and a source's snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from store.errors import NotFound
from store.models import Article, Claim, Snapshot, Source


@dataclass(frozen=True)
class Page:
    """One page of rows and the total number of rows over all pages."""

    items: list[dict[str, Any]]
    total: int


def list_articles(session: Session, offset: int, limit: int) -> Page:
    """Return articles, newest first, with their claim counts."""
    claims = select(func.count(Claim.id)).where(Claim.article_id == Article.id).scalar_subquery()
    query = select(Article, claims).order_by(Article.id.desc()).offset(offset).limit(limit)
    items = [
        {
            "id": article.id,
            "url": article.url,
            "title": article.title,
            "published": article.published_at,
            "ingested_at": article.ingested_at,
            "version": article.version,
            "claims": count,
        }
        for article, count in session.execute(query)
    ]
    return Page(items, session.scalar(select(func.count(Article.id))) or 0)


def list_sources(session: Session, offset: int, limit: int, status: str | None) -> Page:
    """Return sources by id with their latest status, optionally only those with ``status``."""
    query = select(Source)
    if status is not None:
        query = query.where(Source.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Source.id).offset(offset).limit(limit))
    return Page([_source(source) for source in rows], total)


def _source(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "url": source.url,
        "status": source.status,
        "status_at": source.status_at,
        "last_checked_at": source.last_checked_at,
        "replacement_url": source.replacement_url,
    }


def source_snapshots(session: Session, source_id: int, offset: int, limit: int) -> tuple[dict[str, Any], Page]:
    """Return a source and one page of its snapshot history, newest first (text length, not the text)."""
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"no source with id {source_id}")
    length = func.length(Snapshot.text)
    query = (
        select(Snapshot, length)
        .where(Snapshot.source_id == source_id)
        .options(defer(Snapshot.text), defer(Snapshot.fetches))
        .order_by(Snapshot.fetched_at.desc(), Snapshot.id.desc())
        .offset(offset)
        .limit(limit)
    )
    items = [
        {
            "id": snap.id,
            "fetched_at": snap.fetched_at,
            "http_status": snap.http_status,
            "final_url": snap.final_url,
            "redirect_chain": snap.redirect_chain,
            "content_type": snap.content_type,
            "content_hash": snap.content_hash,
            "title": snap.title,
            "extractor": snap.extractor,
            "text_length": text_length,
        }
        for snap, text_length in session.execute(query)
    ]
    total = session.scalar(select(func.count(Snapshot.id)).where(Snapshot.source_id == source_id)) or 0
    return _source(source), Page(items, total)
