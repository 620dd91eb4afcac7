"""The health pass extension: on spider_closed, the pass over this crawl's checks, its counts in stats."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from crawler.extensions.healthpass import HealthPassExtension
from store.base import utcnow
from store.engine import session_factory
from store.models import Flag, Source
from tests.crawling import add_sources
from tests.storedata import check

SETTINGS = {"CITETRACK_HEALTH_PASS_ENABLED": True, "CITETRACK_CONFIRM_CHECKS": 1, "CITETRACK_CONFIRM_SPACING_DAYS": 0}


def extension(db_url: str, **settings: object) -> HealthPassExtension:
    crawler = get_crawler(Spider, {"CITETRACK_DB": db_url, **SETTINGS, **settings})
    return HealthPassExtension.from_crawler(crawler)


def test_the_pass_off_is_not_configured(sqlite_url: str) -> None:
    with pytest.raises(NotConfigured, match="CITETRACK_HEALTH_PASS_ENABLED"):
        extension(sqlite_url, CITETRACK_HEALTH_PASS_ENABLED=False)


def test_the_pass_confirms_this_crawls_problems_and_reports_its_counts(sqlite_url: str) -> None:
    add_sources(sqlite_url, ["http://a.test/gone", "http://a.test/old"])
    health = extension(sqlite_url)
    with session_factory(sqlite_url).begin() as session:
        old = session.scalars(select(Source).where(Source.url == "http://a.test/old")).one()
        check(session, old, "dead", utcnow() - timedelta(days=1), http_status=404)
    health.spider_opened()
    with session_factory(sqlite_url).begin() as session:
        gone = session.scalars(select(Source).where(Source.url == "http://a.test/gone")).one()
        check(session, gone, "dead", utcnow(), http_status=404)
    asyncio.run(health.spider_closed("finished"))
    stats = health.stats.get_stats()
    assert (stats["citetrack/health/confirmed"], stats["citetrack/health/drifted"]) == (1, 0)
    assert stats["citetrack/health/seconds"] >= 0
    with session_factory(sqlite_url).begin() as session:
        flagged = [flag.source_id for flag in session.scalars(select(Flag))]
        assert flagged == [gone.id], "only this crawl's checks are passed over"
