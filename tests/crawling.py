"""Helpers for crawl tests: put sources in a store, run ``citetrack crawl`` in-process, read what it stored."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Sequence
from contextlib import redirect_stdout
from typing import Any

from sqlalchemy import select

from crawler.cli import main
from crawler.urls import canonicalize_url
from store.engine import session_factory
from store.models import Article, Check, Reference, Snapshot, Source
from store.queries import get_or_create_source

# Politeness off and short limits, so that each crawl test takes a few seconds.
FAST = (
    "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CITETRACK_RETRY_BACKOFF_BASE=0",
    "-s", "CITETRACK_EXTRACT_WORKERS=0", "-s", "DOWNLOAD_TIMEOUT=5", "-s", "CITETRACK_STORE_BATCH=5",
)  # fmt: skip


def add_sources(db_url: str, urls: Sequence[str]) -> None:
    """Store sources for ``urls`` (as ingestion would), uncited."""
    with session_factory(db_url).begin() as session:
        for url in urls:
            get_or_create_source(session, canonicalize_url(url))


def add_article(db_url: str, urls: Sequence[str]) -> int:
    """Store a minimal article citing ``urls`` as references 1..n; return its id."""
    with session_factory(db_url).begin() as session:
        article = Article(origin=f"test:{uuid.uuid4().hex}", content_hash=uuid.uuid4().hex, text="Claims.")
        session.add(article)
        session.flush()
        for number, url in enumerate(urls, start=1):
            source = get_or_create_source(session, canonicalize_url(url))
            session.add(Reference(article_id=article.id, number=number, url=url, raw_text=url, source_id=source.id))
        return article.id


def crawl(db_url: str, *args: str) -> tuple[int, dict[str, Any]]:
    """Run ``citetrack crawl --format json`` in-process with fast settings; return the exit code and JSON."""
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["crawl", "--db", db_url, "--format", "json", *FAST, *args])
    return code, json.loads(out.getvalue())


def by_url(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Index a crawl summary's source rows by URL."""
    return {row["url"]: row for row in summary["sources"]}


def snapshots(db_url: str, url: str) -> list[Snapshot]:
    """Return a source's snapshots, oldest first."""
    with session_factory(db_url).begin() as session:
        query = select(Snapshot).join(Source).where(Source.url == url).order_by(Snapshot.id)
        return list(session.scalars(query))


def checks(db_url: str, url: str) -> list[Check]:
    """Return a source's checks, oldest first."""
    with session_factory(db_url).begin() as session:
        return list(session.scalars(select(Check).join(Source).where(Source.url == url).order_by(Check.id)))
