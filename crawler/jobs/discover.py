"""``citetrack discover``'s work: the registered feeds, the ``articles`` spider in a child process, what it found.

The spider runs in ``python -m crawler.crawlrun --spider articles`` as ``citetrack crawl`` runs the sources spider
(``crawler.jobs.crawl.run_child``). Its progress lines say what became of each feed read and each article; the
feeds' state comes from the store afterwards.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crawler.jobs.crawl import EXIT_INTERRUPTED, run_child, settings_arguments
from store.base import utcnow
from store.engine import session_factory
from store.feeds import FeedTarget, feed_targets, feeds_read_since, latest_ingestions
from store.models import Feed

if TYPE_CHECKING:
    from crawler.ingest.feeds import Entry

OUTCOMES = ("new", "changed", "unchanged", "failed")


@dataclass
class DiscoverRun:
    """What a discovery run did: its child's exit code and the summary (a README contract)."""

    exit_code: int = 0
    summary: dict[str, Any] = field(default_factory=dict)


def registered_feeds(db_url: str) -> list[FeedTarget]:
    """Return every registered feed as a read to make."""
    with session_factory(db_url).begin() as session:
        return feed_targets(session)


def entries_to_fetch(db_url: str, entries: Sequence[Entry]) -> list[Entry]:
    """Return the entries worth fetching: never ingested, undated, or dated after their latest ingestion."""
    with session_factory(db_url).begin() as session:
        ingested = latest_ingestions(session, [entry.url for entry in entries])
    return [
        entry for entry in entries
        if entry.url not in ingested or entry.updated is None or entry.updated > ingested[entry.url]
    ]  # fmt: skip


def run_discover(
    db_url: str, settings: Sequence[str], *, on_progress: Callable[[dict[str, Any]], None] = lambda line: None
) -> DiscoverRun:
    """Read every registered feed and ingest the new and changed articles, with ``-s`` ``settings``."""
    started = utcnow()
    run = DiscoverRun()
    articles: list[dict[str, Any]] = []

    def on_line(line: dict[str, Any]) -> None:
        if line.get("item") == "article":
            articles.append(line)
        if "done" in line:
            on_progress(line)

    if registered_feeds(db_url):
        run.exit_code = run_child(["--spider", "articles", *settings_arguments(settings)], db_url, on_line)
    with session_factory(db_url).begin() as session:
        feeds = [_feed_row(feed) for feed in feeds_read_since(session, started)]
    run.summary = _summary(feeds, articles, interrupted=run.exit_code == EXIT_INTERRUPTED)
    return run


def _feed_row(feed: Feed) -> dict[str, Any]:
    status = "failed" if feed.last_error else "not_modified" if feed.last_http_status == 304 else "read"
    return {
        "id": feed.id, "url": feed.url, "kind": feed.kind, "status": status, "http_status": feed.last_http_status,
        "entries": feed.entries, "error": feed.last_error, "checked_at": feed.last_checked_at,
    }  # fmt: skip


def _summary(feeds: list[dict[str, Any]], lines: list[dict[str, Any]], *, interrupted: bool) -> dict[str, Any]:
    """Count the feeds by status and the articles by outcome."""
    keys = ("url", "final_url", "feed_id", "outcome", "article_id", "version", "references", "error")
    articles = sorted(({key: line.get(key) for key in keys} for line in lines), key=lambda row: row["url"])
    outcomes = Counter(row["outcome"] for row in articles)
    statuses = Counter(row["status"] for row in feeds)
    return {
        **{outcome: outcomes[outcome] for outcome in OUTCOMES},
        "feeds_read": statuses["read"], "feeds_not_modified": statuses["not_modified"],
        "feeds_failed": statuses["failed"], "interrupted": interrupted, "feeds": feeds, "articles": articles,
    }  # fmt: skip
