"""Feed queries: register, list and remove feeds, record what a discovery run read, and when articles came in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from store.base import in_lists
from store.errors import NotFound
from store.models import Article, Feed
from store.upsert import upsert

@dataclass(frozen=True)
class FeedTarget:
    """A feed to read: its URL, its kind (None: detect) and the validators of its last complete read."""

    feed_id: int
    url: str
    kind: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FeedRead:
    """What one discovery run found at a feed: the answer, the kind read, the links found, or why it failed.

    ``etag``/``last_modified`` are None when they are not to be kept (a failure, or an article left unfetched).
    """

    feed_id: int
    checked_at: datetime
    http_status: int | None
    kind: str | None
    entries: int | None
    etag: str | None
    last_modified: str | None
    error: str | None


def add_feed(session: Session, url: str, kind: str | None) -> tuple[Feed, bool]:
    """Register ``url`` (``kind`` None: detected when read); return the feed and whether it is new."""
    values = {"url": url, "kind": kind, "kind_given": kind is not None}
    inserted = session.execute(upsert(session, Feed).values(**values).on_conflict_do_nothing().returning(Feed.id))
    created = inserted.scalar_one_or_none() is not None
    return session.scalars(select(Feed).where(Feed.url == url)).one(), created


def all_feeds(session: Session) -> Sequence[Feed]:
    """Return every registered feed, oldest first."""
    return session.scalars(select(Feed).order_by(Feed.id)).all()


def feed_targets(session: Session) -> list[FeedTarget]:
    """Return every registered feed as a read to make, oldest first."""
    return [FeedTarget(f.id, f.url, f.kind, f.etag, f.last_modified) for f in all_feeds(session)]


def remove_feed(session: Session, url_or_id: str) -> Feed:
    """Delete the feed with this URL or id; return it, or raise ``NotFound``."""
    condition = Feed.id == int(url_or_id) if url_or_id.isdigit() else Feed.url == url_or_id
    feed = session.scalars(select(Feed).where(condition)).one_or_none()
    if feed is None:
        raise NotFound(f"no feed {url_or_id} (see `citetrack feeds list`)")
    session.delete(feed)
    return feed


def record_feed_reads(session: Session, reads: Iterable[FeedRead]) -> None:
    """Store each read on its feed; a detected kind is kept unless the kind was given."""
    for read in reads:
        values = {
            "last_checked_at": read.checked_at, "last_http_status": read.http_status, "last_error": read.error,
            "etag": read.etag, "last_modified": read.last_modified,
        }  # fmt: skip
        if read.entries is not None:
            values["entries"] = read.entries
        session.execute(update(Feed).where(Feed.id == read.feed_id).values(**values))
        if read.kind is not None:
            detected = update(Feed).where(Feed.id == read.feed_id, Feed.kind_given.is_(False))
            session.execute(detected.values(kind=read.kind))


def feeds_read_since(session: Session, since: datetime) -> Sequence[Feed]:
    """Return the feeds read at or after ``since``, oldest first."""
    return session.scalars(select(Feed).where(Feed.last_checked_at >= since).order_by(Feed.id)).all()


def latest_ingestions(session: Session, origins: Sequence[str]) -> dict[str, datetime]:
    """Return when each of ``origins`` (article URLs) last had a version ingested; unknown ones are absent."""
    found: dict[str, datetime] = {}
    for chunk in in_lists(origins):
        query = select(Article.origin, func.max(Article.ingested_at)).where(Article.origin.in_(chunk))
        found.update(dict(session.execute(query.group_by(Article.origin)).tuples().all()))
    return found


def articles_ingested_since(session: Session, since: datetime) -> Sequence[Article]:
    """Return the article versions ingested at or after ``since``, oldest first."""
    return session.scalars(select(Article).where(Article.ingested_at >= since).order_by(Article.id)).all()
