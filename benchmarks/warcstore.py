"""A store of fetched snapshots for the WARC export benchmark and tests: one article citing every source.

Each source has one snapshot stored the way the crawl stores it (``store.crawl.record_checks``): a redirect
hop and the final fetch with their exchanges, or, with ``legacy``, only what crawls kept before exchanges
were recorded (status, URL, Content-Type, validators).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

from crawler.extract.body import stored_body
from store.crawl import CheckRecord, record_checks
from store.engine import session_factory
from store.models import Article, Reference, Source

FETCHED_AT = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=timezone.utc)
BATCH = 100


def fill_store(db_url: str, count: int, body_size: int, *, legacy: bool = False, seed: int = 13) -> int:
    """Store ``count`` sources with one snapshot each (incompressible bodies of ``body_size`` bytes); return
    the citing article's id."""
    rng = random.Random(seed)
    factory = session_factory(db_url)
    with factory.begin() as session:
        article = Article(origin=f"bench:{seed}:{count}", content_hash=f"{seed}-{count}", text="Claims.")
        sources = [Source(url=f"https://example.org/doc/{seed}/{n}", status="ok") for n in range(count)]
        session.add_all([article, *sources])
        session.flush()
        session.add_all(
            Reference(article_id=article.id, number=n, url=s.url, raw_text=s.url, source_id=s.id)
            for n, s in enumerate(sources, start=1)
        )
        article_id, targets = article.id, [(source.id, source.url) for source in sources]
    for start in range(0, count, BATCH):
        records = [_record(source_id, url, rng.randbytes(body_size), n, legacy) for n, (source_id, url) in
                   enumerate(targets[start : start + BATCH], start=start)]  # fmt: skip
        with factory.begin() as session:
            record_checks(session, records)
    return article_id


def _record(source_id: int, url: str, body: bytes, n: int, legacy: bool) -> CheckRecord:
    body_gzip, content_hash = stored_body(body)
    moved = url.replace("https://", "http://")
    chain = [{"status": 301, "url": moved}]
    fetch: dict[str, Any] = {"url": url, "status": 200, "content_type": "text/html; charset=utf-8"}
    if not legacy:
        fetch |= _exchange(url, 200, [["Content-Type", "text/html; charset=utf-8"], ["Content-Length", str(len(body))]])
        fetch |= {"sha256": content_hash, "redirects": [_exchange(moved, 301, [["Location", url]]) | {"url": moved}]}
    return CheckRecord(
        source_id=source_id, checked_at=FETCHED_AT + timedelta(seconds=n), outcome="fetched", status="ok",
        evidence={}, http_status=200, final_url=url, redirect_chain=chain, fetches=[fetch], etag=f'"v{n}"',
        last_modified="Sun, 01 Mar 2026 10:00:00 GMT", content_type="text/html; charset=utf-8",
        content_hash=content_hash, body_size=len(body), body_gzip=body_gzip, text="Text.", extractor="bench",
    )  # fmt: skip


def _exchange(url: str, status: int, headers: list[list[str]]) -> dict[str, Any]:
    return {
        "url": url, "status": status, "method": "GET", "ip_address": "192.0.2.1", "protocol": "HTTP/1.1",
        "request_headers": [["User-Agent", "citetrack/bench"], ["Accept-Encoding", "gzip, deflate"]],
        "response_headers": headers,
    }  # fmt: skip
