"""The crawl's work list: which sources are due, read a page at a time, with the validators of their latest snapshot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from crawler.urls import canonicalize_url
from sqlalchemy.orm import Session

from store.crawl import DueEntry, DueSource, count_due, due_listing_page, due_page
from store.engine import session_factory


@dataclass(frozen=True)
class Selection:
    """Which sources to crawl: one article's, one URL, all, those due by the policy at ``due_at`` (``crawl --due``),
    or those never checked (also those checked before ``checked_before``: ``crawl --due DAYS``)."""

    article_id: int | None = None
    url: str | None = None
    every: bool = False
    checked_before: datetime | None = None
    due_at: datetime | None = None

    def arguments(self) -> list[str]:
        """Return the crawl child's arguments (``crawler.crawlrun``) that select the same sources."""
        if self.article_id is not None:
            return ["--article", str(self.article_id)]
        if self.url is not None:
            return ["--source", self.url]
        if self.every:
            return ["--all"]
        if self.due_at is not None:
            return ["--due-at", self.due_at.isoformat()]
        return ["--checked-before", self.checked_before.isoformat()] if self.checked_before else []

    def filters(self) -> dict[str, Any]:
        """Return the store's keyword arguments for this selection (the URL canonical)."""
        url = canonicalize_url(self.url) if self.url is not None else None
        return {**vars(self), "url": url}


def count_due_sources(db_url: str, selection: Selection) -> int:
    """Return how many sources ``selection`` takes (one COUNT; raises ``NotFound`` for an unknown URL)."""
    with session_factory(db_url).begin() as session:
        return count_due(session, **selection.filters())


def stream_due_sources(db_url: str, selection: Selection, batch_size: int) -> Iterator[DueSource]:
    """Yield the selected sources, read ``batch_size`` at a time (keyset pages, one short transaction each).

    Memory does not grow with the number of sources. A source checked while the stream runs is not handed out
    again: its next check moves past ``due_at`` (or, by id, behind the page already read).
    """
    filters = selection.filters()
    return _pages(db_url, batch_size, lambda session, after, size: due_page(session, after=after, limit=size, **filters))


def stream_due_listing(db_url: str, due_at: datetime, batch_size: int, limit: int | None = None) -> Iterator[DueEntry]:
    """Yield the sources due by ``due_at`` in next-check order (``citetrack due``), at most ``limit``."""
    def page(session: Session, after: DueEntry | None, size: int) -> list[DueEntry]:
        return due_listing_page(session, due_at, after=after, limit=size)

    entries = _pages(db_url, batch_size if limit is None else min(batch_size, max(limit, 1)), page)
    for count, entry in enumerate(entries):
        if limit is not None and count >= limit:
            return
        yield entry


_Row = TypeVar("_Row")


def _pages(
    db_url: str, batch_size: int, read: Callable[[Session, _Row | None, int], list[_Row]]
) -> Iterator[_Row]:
    """Yield the rows of successive keyset pages of ``batch_size``, each read in its own short transaction."""
    if batch_size < 1:
        raise ValueError(f"due sources are read at least 1 at a time (got {batch_size})")
    factory = session_factory(db_url)
    after: _Row | None = None
    while True:
        with factory.begin() as session:
            page = read(session, after, batch_size)
        yield from page
        if len(page) < batch_size:
            return
        after = page[-1]
