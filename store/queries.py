"""Queries for articles, their references, claims and sources (ingestion and listing)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

from sqlalchemy import select
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


def iter_sources(session: Session, batch: int = 1000) -> Iterator[Source]:
    """Yield every source by id with the references that cite it, reading ``batch`` sources at a time (keyset).

    Only the batch being read is held: the session keeps no strong reference to rows the caller let go of.
    """
    after = 0
    while True:
        query = select(Source).where(Source.id > after).options(selectinload(Source.references))
        rows = session.scalars(query.order_by(Source.id).limit(batch)).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].id
