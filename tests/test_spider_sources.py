"""The sources spider takes its work list from the caller; without one, from the sources its -a arguments select."""

from __future__ import annotations

import asyncio

from scrapy.utils.test import get_crawler

from spiders.sources import SourcesSpider
from store.crawl import DueSource
from tests.crawling import add_article


def first_requests(spider: SourcesSpider) -> list:  # type: ignore[type-arg]
    async def collect() -> list:  # type: ignore[type-arg]
        return [request async for request in spider.start()]

    return asyncio.run(collect())


def test_a_work_list_from_the_caller_is_crawled_without_the_store() -> None:
    due = [DueSource(1, "http://a.test/1"), DueSource(2, "http://b.test/2"), DueSource(3, "http://a.test/3")]
    crawler = get_crawler(SourcesSpider, {"CITETRACK_DB": "sqlite:////nonexistent/dir/never-opened.db"})
    spider = SourcesSpider.from_crawler(crawler, due=due)
    probes = first_requests(spider)
    groups = {request.cb_kwargs["origin"]: request.cb_kwargs["group"] for request in probes}
    assert groups == {"http://a.test": [due[0], due[2]], "http://b.test": [due[1]]}
    assert crawler.stats.get_value("citetrack/sources") == 3


def test_without_a_work_list_the_arguments_select_sources_in_the_store(sqlite_url: str) -> None:
    article_id = add_article(sqlite_url, ["http://a.test/cited"])
    crawler = get_crawler(SourcesSpider, {"CITETRACK_DB": sqlite_url})
    spider = SourcesSpider.from_crawler(crawler, article=str(article_id))
    (probe,) = first_requests(spider)
    assert [due.url for due in probe.cb_kwargs["group"]] == ["http://a.test/cited"]
