"""Queries for articles, their references, claims and sources (ingestion and listing)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from crawler.urls import canonicalize_url
from store.errors import NotFound
from store.models import Article, Citation, Claim, Reference, Source
from store.upsert import upsert

if TYPE_CHECKING:
    from crawler.ingest import ParsedArticle

UNRESOLVED = "unresolved"


def text_hash(text: str) -> str:
    """Return the sha256 hex digest of ``text`` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def get_or_create_source(session: Session, url: str) -> Source:
    """Return the source row for ``url``'s canonical form, inserting it if new (race-safe upsert)."""
    canonical = canonicalize_url(url)
    session.execute(upsert(session, Source).values(url=canonical, status="pending").on_conflict_do_nothing())
    return session.scalars(select(Source).where(Source.url == canonical)).one()


def store_article(session: Session, parsed: ParsedArticle, origin: str) -> tuple[Article, bool]:
    """Store a parsed article; return ``(article, created)``.

    The same text from the same origin is found again (``created`` is False); changed text from a known
    origin becomes a new version, so claims and verifications of earlier versions keep their history.
    """
    digest = text_hash(parsed.text)
    existing = session.scalars(
        select(Article).where(Article.origin == origin, Article.content_hash == digest)
    ).one_or_none()
    if existing is not None:
        return existing, False
    latest = session.scalar(select(func.max(Article.version)).where(Article.origin == origin))
    article = Article(
        origin=origin,
        version=(latest or 0) + 1,
        content_hash=digest,
        url=parsed.url,
        title=parsed.title,
        byline=parsed.byline,
        publisher=parsed.publisher,
        published_at=parsed.published,
        text=parsed.text,
    )
    session.add(article)
    references = {}
    for parsed_reference in parsed.references:
        reference = Reference(
            number=parsed_reference.number,
            outlet=parsed_reference.outlet,
            title=parsed_reference.title,
            url=parsed_reference.url,
            raw_text=parsed_reference.raw_text,
        )
        article.references.append(reference)
        if parsed_reference.url:
            reference.source = get_or_create_source(session, parsed_reference.url)
        references[reference.number] = reference
    for parsed_claim in parsed.claims:
        claim = Claim(
            index=parsed_claim.index,
            text=parsed_claim.text,
            start=parsed_claim.start,
            end=parsed_claim.end,
            quotes=[quote.as_dict() for quote in parsed_claim.quotes],
        )
        claim.citations = [Citation(number=n, reference=references.get(n)) for n in parsed_claim.citations]
        article.claims.append(claim)
    session.flush()
    return article, True


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


def reference_status(reference: Reference) -> str:
    """Return the latest health status of a reference's source (``unresolved`` without a URL)."""
    return reference.source.status if reference.source is not None else UNRESOLVED


def all_sources(session: Session) -> Sequence[Source]:
    """Return every source with the references that cite it."""
    return session.scalars(
        select(Source).options(selectinload(Source.references)).order_by(Source.id)
    ).all()


def set_reference_url(session: Session, article_id: int, number: int, url: str) -> Reference:
    """Attach ``url`` to reference ``number`` of an article, linking (or creating) its source."""
    reference = session.scalars(
        select(Reference).where(Reference.article_id == article_id, Reference.number == number)
    ).one_or_none()
    if reference is None:
        get_article(session, article_id)
        raise NotFound(f"article {article_id} has no reference [{number}]")
    reference.url = url
    reference.source = get_or_create_source(session, url)
    session.flush()
    return reference
