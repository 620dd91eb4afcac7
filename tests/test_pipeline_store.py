"""The store pipeline: judged checks written in batches, counted in stats; an unjudged check is refused."""

from __future__ import annotations

import asyncio
import gzip
import hashlib

import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler
from sqlalchemy import func, select

from crawler.enums import HealthStatus
from crawler.health.outcome import Classification
from crawler.items import SourceCheckItem
from crawler.pipelines.store import StorePipeline, check_record
from store.engine import session_factory
from store.models import Body, Check, Snapshot
from tests.crawling import add_sources

PAGE = b"<html><body><p>The agency recommends monitoring.</p></body></html>"
OK = Classification(HealthStatus.OK, {"rule": "content"})


def judged(source_id: int, outcome: str = "fetched") -> SourceCheckItem:
    item = SourceCheckItem(source_id=source_id, url=f"http://a.test/{source_id}", http_status=200,
                           content_type="text/html", body=PAGE)  # fmt: skip
    item.outcome, item.classification = outcome, OK
    return item


def store(db_url: str, *items: SourceCheckItem, batch: int = 2) -> StorePipeline:
    settings = {"CITETRACK_DB": db_url, "CITETRACK_STORE_BATCH": batch, "CITETRACK_RECHECK_DAYS": 7}
    pipeline = StorePipeline.from_crawler(get_crawler(Spider, settings))

    async def through() -> None:
        pipeline.open_spider()
        for item in items:
            await pipeline.process_item(item)
        await pipeline.close_spider()

    asyncio.run(through())
    return pipeline


def test_checks_are_written_in_batches_and_counted(sqlite_url: str) -> None:
    add_sources(sqlite_url, [f"http://a.test/{n}" for n in (1, 2, 3)])
    pipeline = store(sqlite_url, judged(1), judged(2), judged(3))
    stats = pipeline.stats.get_stats()
    assert (stats["citetrack/store/checks"], stats["citetrack/store/batches"]) == (3, 2)
    with session_factory(sqlite_url).begin() as session:
        assert session.scalar(select(func.count(Check.id))) == 3
        assert session.scalar(select(func.count(Snapshot.id))) == 3


def test_a_body_stored_without_extraction_keeps_its_hash_and_no_text(sqlite_url: str) -> None:
    add_sources(sqlite_url, ["http://a.test/1"])
    store(sqlite_url, judged(1))
    with session_factory(sqlite_url).begin() as session:
        snapshot = session.scalars(select(Snapshot)).one()
        assert (snapshot.text, snapshot.content_hash) == (None, hashlib.sha256(PAGE).hexdigest())
        assert gzip.decompress(session.get(Body, snapshot.body_id).data) == PAGE


def test_an_unjudged_check_is_refused() -> None:
    with pytest.raises(ValueError, match="unjudged: enable crawler.pipelines.health"):
        check_record(SourceCheckItem(source_id=1, url="http://a.test/1"))
