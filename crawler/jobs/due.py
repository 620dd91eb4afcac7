"""The crawl's work list: which sources are due, with the validators of their latest snapshot."""

from __future__ import annotations

from datetime import datetime

from crawler.urls import canonicalize_url
from store.crawl import DueSource, sources_due
from store.engine import session_factory


def due_sources(
    db_url: str,
    *,
    article_id: int | None = None,
    url: str | None = None,
    every: bool = False,
    checked_before: datetime | None = None,
) -> list[DueSource]:
    """Return the sources to crawl: one URL, one article's, all, or those never checked (or checked before a time)."""
    with session_factory(db_url).begin() as session:
        return sources_due(
            session,
            article_id=article_id,
            url=canonicalize_url(url) if url is not None else None,
            every=every,
            checked_before=checked_before,
        )
