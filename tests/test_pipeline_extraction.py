"""The extraction pipeline: a new body's document from the pool, an unchanged body's from the store, probes once."""

from __future__ import annotations

import asyncio
import gzip
import hashlib

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.items import ProbeFetch, SourceCheckItem
from crawler.pipelines.extraction import ExtractionPipeline
from store.crawl import CheckRecord, record_checks
from store.engine import session_factory
from tests.crawling import add_sources
from tests.mockserver import SITE
from tests.storedata import T0

PAGE = (SITE / "blog/eu-ai-act-open-source.html").read_bytes()
HTML = "text/html; charset=utf-8"
NOT_FOUND = b"<html><head><title>Not found</title></head><body><main><p>%s</p></main></body></html>" % (
    b"We looked everywhere. " * 30
)


def run(pipeline: ExtractionPipeline, *items: SourceCheckItem) -> list[SourceCheckItem]:
    """Open the pipeline, pass the items through it in order, close it."""

    async def through() -> list[SourceCheckItem]:
        pipeline.open_spider()
        try:
            return [await pipeline.process_item(item) for item in items]
        finally:
            await pipeline.close_spider()

    return asyncio.run(through())


def pipeline(db_url: str, **settings: object) -> ExtractionPipeline:
    defaults = {"CITETRACK_DB": db_url, "CITETRACK_EXTRACT_ENABLED": True, "CITETRACK_EXTRACT_WORKERS": 0}
    crawler = get_crawler(Spider, {**defaults, **settings})
    return ExtractionPipeline.from_crawler(crawler)


def test_extraction_off_is_not_configured(sqlite_url: str) -> None:
    with pytest.raises(NotConfigured, match="CITETRACK_EXTRACT_ENABLED"):
        pipeline(sqlite_url, CITETRACK_EXTRACT_ENABLED=False)


def test_new_bodies_are_extracted_and_the_hosts_probe_once(sqlite_url: str) -> None:
    probe = ProbeFetch("http://a.test", "http://a.test/citetrack-probe-x", 200, "http://a.test/", HTML, NOT_FOUND)
    items = [SourceCheckItem(n, f"http://a.test/{n}", http_status=200, content_type=HTML, body=PAGE) for n in (1, 2)]
    for item in items:
        item.probe = probe
    extraction = pipeline(sqlite_url)
    first, second = run(extraction, *items)
    assert first.extracted is not None and "AI Act" in first.extracted.document.text
    assert first.extracted.content_hash == hashlib.sha256(PAGE).hexdigest()
    assert first.probe_text == second.probe_text and "We looked everywhere" in first.probe_text
    stats = extraction.stats.get_stats()
    assert (stats["citetrack/extract/extracted"], stats["citetrack/extract/probes"]) == (2, 1)


def test_an_unchanged_body_gets_its_stored_document_without_extraction(sqlite_url: str) -> None:
    add_sources(sqlite_url, ["http://a.test/1"])
    digest = hashlib.sha256(PAGE).hexdigest()
    record = CheckRecord(
        source_id=1, checked_at=T0, outcome="fetched", status="ok", evidence={}, content_type=HTML,
        content_hash=digest, body_size=len(PAGE), body_gzip=gzip.compress(PAGE), text="The stored text.",
    )  # fmt: skip
    with session_factory(sqlite_url).begin() as session:
        (snapshot_id,) = record_checks(session, [record])
    item = SourceCheckItem(source_id=1, url="http://a.test/1", http_status=200, content_type=HTML, body=PAGE,
                           previous_snapshot_id=snapshot_id, previous_hash=digest)  # fmt: skip
    extraction = pipeline(sqlite_url)
    (checked,) = run(extraction, item)
    assert checked.body_state() == "same_body" and checked.extracted is None
    assert checked.stored is not None and checked.stored[0].text == "The stored text." and checked.stored[1] == PAGE
    assert extraction.stats.get_stats() == {"citetrack/extract/stored": 1}
