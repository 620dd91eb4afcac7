"""Editors' fixes to an article's sources: attach a URL to a reference, replace or annotate a problem source."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.enums import HealthStatus
from crawler.jobs.flags import resolve_flag
from crawler.jobs.references import citation_details
from crawler.urls import canonicalize_url
from store.base import utcnow
from store.crawl import make_due
from store.errors import NotFound
from store.models import Check, Flag, Reference, Source
from store.queries import get_article, get_or_create_source, iter_sources
from store.verify import mark_sources

# Sources read per query by ``sources list`` (with their references): few round trips, little memory.
LISTING_BATCH = 5000


def source_by_url(session: Session, url: str) -> Source:
    """Return the source of ``url`` (any spelling of it) or raise ``NotFound``."""
    canonical = canonicalize_url(url)
    source = session.scalars(select(Source).where(Source.url == canonical)).one_or_none()
    if source is None:
        raise NotFound(f"no source with URL {canonical}")
    return source


def source_listing(session: Session) -> Iterator[dict[str, Any]]:
    """Yield every source by id with the articles citing it (``sources list``), read a batch at a time."""
    for source, references in iter_sources(session, LISTING_BATCH):
        yield {
            "url": source.url,
            "status": source.status,
            "last_checked_at": source.last_checked_at,
            "articles": [
                {"article_id": ref.article_id, "number": ref.number, "outlet": ref.outlet, "title": ref.title,
                 **citation_details(ref)}
                for ref in references
            ],
        }  # fmt: skip


def set_reference_url(session: Session, article_id: int, number: int, url: str) -> Reference:
    """Attach ``url`` to reference ``number`` of an article, linking (or creating) its source."""
    reference = session.scalars(
        select(Reference).where(Reference.article_id == article_id, Reference.number == number)
    ).one_or_none()
    if reference is None:
        get_article(session, article_id)
        raise NotFound(f"article {article_id} has no reference [{number}]")
    reference.url = url
    reference.source = get_or_create_source(session, canonicalize_url(url))
    session.flush()
    make_due(session, [reference.source.id], utcnow())
    mark_sources(session, [reference.source.id])
    return reference


def resolve_source(session: Session, source: Source, *, replacement_url: str | None, note: str | None) -> list[Flag]:
    """Record an editor's fix and resolve the source's open flags.

    A replacement URL becomes a source of its own and the references citing the old source point to it, so the
    next crawl fetches it (it was never checked) and the next verify checks every claim against it.
    """
    if replacement_url is not None:
        source.replacement_url = canonicalize_url(replacement_url)
        replacement = get_or_create_source(session, source.replacement_url)
        if replacement.id != source.id:
            for reference in session.scalars(select(Reference).where(Reference.source_id == source.id)):
                reference.source_id = replacement.id
            mark_sources(session, [replacement.id])
    if note is not None:
        source.editor_note = note
    resolution = f"replaced by {source.replacement_url}" if replacement_url else f"editor note: {note}"
    flags = list(session.scalars(select(Flag).where(Flag.source_id == source.id, Flag.resolved_at.is_(None))))
    now = utcnow()
    for flag in flags:
        resolve_flag(flag, now, resolution)
    if source.status == HealthStatus.DRIFTED:
        latest = session.scalars(
            select(Check.status).where(Check.source_id == source.id).order_by(Check.checked_at.desc()).limit(1)
        ).first()
        source.status = latest or source.status
    session.flush()
    return flags
