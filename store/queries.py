"""Queries for articles, their references, claims and sources (ingestion and listing)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session, selectinload

from store.errors import NotFound
from store.models import Article, Claim, Reference, Source
from store.upsert import upsert


def text_hash(text: str) -> str:
    """Return the sha256 hex digest of ``text`` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def get_or_create_source(session: Session, canonical_url: str) -> Source:
    """Return the source row of a canonical URL, inserting it if new (race-safe upsert)."""
    session.execute(upsert(session, Source).values(url=canonical_url, status="pending").on_conflict_do_nothing())
    return session.scalars(select(Source).where(Source.url == canonical_url)).one()


def get_article(session: Session, article_id: int) -> Article:
    """Return the article with ``article_id`` or raise ``NotFound``."""
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"no article with id {article_id}")
    return article


def article_claims(session: Session, article_id: int) -> Sequence[Claim]:
    """Return an article's claims in order, with their citations loaded."""
    get_article(session, article_id)
    return session.scalars(
        select(Claim)
        .where(Claim.article_id == article_id)
        .options(selectinload(Claim.citations))
        .order_by(Claim.index)
    ).all()


def article_references(session: Session, article_id: int) -> Sequence[Reference]:
    """Return an article's references by number, with their sources loaded."""
    get_article(session, article_id)
    return session.scalars(
        select(Reference)
        .where(Reference.article_id == article_id)
        .options(selectinload(Reference.source))
        .order_by(Reference.number)
    ).all()


def iter_sources(session: Session, batch: int = 1000) -> Iterator[tuple[Row[Any], list[Row[Any]]]]:
    """Yield every source by id with the references that cite it (by article and number), as column rows.

    Two queries a batch of ``batch`` sources (keyset on the id; the references by the range of the batch's ids)
    and no ORM objects: only the batch being read is held. A reference row has every column but the raw
    entry text and the link as written.
    """
    listed = [column for column in Reference.__table__.columns if column.name not in ("raw_text", "url")]
    after = 0
    while True:
        query = select(Source.id, Source.url, Source.status, Source.last_checked_at).where(Source.id > after)
        sources = session.execute(query.order_by(Source.id).limit(batch)).all()
        if not sources:
            return
        citing: dict[int, list[Row[Any]]] = {}
        references = (
            select(*listed)
            .where(Reference.source_id.between(sources[0].id, sources[-1].id))
            .order_by(Reference.source_id, Reference.article_id, Reference.number)
        )
        for reference in session.execute(references):
            citing.setdefault(reference.source_id, []).append(reference)
        for source in sources:
            yield source, citing.get(source.id, [])
        after = sources[-1].id
