"""Items the spiders yield: the sources spider one per check of a source, with the raw exchange behind it; the
articles spider one per read of a feed and one per article page it lists.

The spider fills what the exchange was; the item pipelines (``ITEM_PIPELINES`` in ``crawler/settings.py``, in
order) add what it means: the extraction pipeline the document, the health pipeline the outcome and status.
The articles spider has its own pipelines (``spiders/articles.py``): ingest, then the feeds' state.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

from crawler.extract import Document
from crawler.extract.body import Extracted
from crawler.health.outcome import Classification

# Request meta key of the shared queue's lease a request belongs to (``citetrack worker``; the lease is the
# request's dupefilter fingerprint): kept by every request that follows from it (redirects, retries, a landing
# page's document) and by its check item.
LEASE_META = "citetrack_lease"
# What a check's body is: none usable, a 304, the body of the latest snapshot again, or a new one.
BodyState = Literal["failed", "not_modified", "same_body", "new_body"]


@dataclass
class ProbeFetch:
    """The host's raw answer for a path that cannot exist (the soft-404 probe), shared by its pages."""

    host: str
    url: str
    http_status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    body: bytes | None = field(default=None, repr=False)


@dataclass
class SourceCheckItem:
    """Everything one check of a source saw: the exchange, its redirects, its body, or why it failed.

    ``fetches`` lists every fetch behind the result (a report landing page, then its PDF), each with its HTTP
    exchange as sent and received and the redirect exchanges before it (``crawler.middlewares.redirect``).
    ``retry_after`` is the last Retry-After (seconds) the server asked for, honoured before retrying.
    ``previous_*`` describe the latest stored snapshot, so the pipelines can tell an unchanged body.
    ``extracted`` (a new body's text, gzip and hash) and ``stored`` (the stored document, raw body and
    Content-Type of an unchanged one) are set by the extraction pipeline, ``probe_text`` too (the host probe's
    text); ``outcome`` and ``classification`` by the health pipeline. ``lease`` is the shared queue's lease the
    check belongs to (``citetrack worker``), acknowledged once the check is stored.
    """

    source_id: int
    url: str
    final_url: str | None = None
    http_status: int | None = None
    redirect_chain: list[dict[str, Any]] = field(default_factory=list)
    fetches: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    body: bytes | None = field(default=None, repr=False)
    failure: str | None = None
    failure_detail: str | None = None
    retries: int = 0
    retry_after: float | None = None
    outlet: str | None = None
    probe: ProbeFetch | None = field(default=None, repr=False)
    previous_snapshot_id: int | None = None
    previous_hash: str | None = None
    extracted: Extracted | None = field(default=None, repr=False)
    stored: tuple[Document, bytes, str | None] | None = field(default=None, repr=False)
    probe_text: str | None = field(default=None, repr=False)
    outcome: str | None = None
    classification: Classification | None = None
    lease: str | None = None

    def body_state(self) -> BodyState:
        """Say what the body is: no usable one, a 304, the latest snapshot's body again, or a new body."""
        if self.failure is not None or self.http_status is None:
            return "failed"
        if self.http_status == 304:
            return "not_modified"
        if not 200 <= self.http_status < 300 or self.body is None:
            return "failed"
        if self.previous_snapshot_id is not None and hashlib.sha256(self.body).hexdigest() == self.previous_hash:
            return "same_body"
        return "new_body"


@dataclass
class FeedReadItem:
    """One read of a registered feed, or of a sitemap its sitemap index names (``url`` then is that sitemap's).

    ``entries`` counts the article links found; ``error`` says why the read failed (recovered links of a
    malformed feed are still followed). ``etag``/``last_modified`` are the answer's validators.
    """

    feed_id: int
    url: str
    http_status: int | None = None
    kind: str | None = None
    entries: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None

    def progress(self) -> dict[str, Any]:
        """Return what the crawl's progress line says about this read."""
        return {"item": "feed", "feed_id": self.feed_id, "kind": self.kind, "entries": self.entries, "error": self.error}


@dataclass
class ArticlePageItem:
    """An article page a feed lists, as fetched (or why not), and what ingesting it did.

    The spider fills the exchange; the ingest pipeline sets ``outcome`` (``new``, ``changed``, ``unchanged`` or
    ``failed``), the stored ``article_id``/``version``/``references``, and drops the body.
    """

    feed_id: int
    url: str
    final_url: str | None = None
    content_type: str | None = None
    body: bytes | None = field(default=None, repr=False)
    error: str | None = None
    outcome: str | None = None
    article_id: int | None = None
    version: int | None = None
    references: int | None = None

    def progress(self) -> dict[str, Any]:
        """Return what the crawl's progress line says about this article."""
        return {
            "item": "article", "final_url": self.final_url, "feed_id": self.feed_id, "outcome": self.outcome, "article_id": self.article_id, "version": self.version,
            "references": self.references, "error": self.error,
        }  # fmt: skip
