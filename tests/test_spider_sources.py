"""The sources spider takes its work list from the caller (any iterable, read as it goes); without one, from the
sources its -a arguments select. One probe per host: the host's sources wait for its answer, later ones reuse it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.items import ProbeFetch
from spiders.probes import HostProbes
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
    assert [request.cb_kwargs["origin"] for request in probes] == ["http://a.test", "http://b.test"]
    assert spider.probes.waiting == {"http://a.test": [due[0], due[2]], "http://b.test": [due[1]]}
    assert crawler.stats.get_value("citetrack/sources") == 3


def test_a_streamed_work_list_is_read_only_as_requests_are_taken() -> None:
    read: list[int] = []

    def stream() -> Iterator[DueSource]:
        for number in range(1, 4):
            read.append(number)
            yield DueSource(number, f"http://host{number}.test/page")

    spider = SourcesSpider.from_crawler(get_crawler(SourcesSpider), due=stream(), total=3)

    async def first() -> Request:
        return await anext(spider.start())

    assert asyncio.run(first()).cb_kwargs["origin"] == "http://host1.test" and read == [1]
    assert spider.crawler.stats.get_value("citetrack/sources") == 3


def test_sources_of_a_host_whose_probe_answered_are_requested_at_once() -> None:
    first, later = DueSource(1, "http://a.test/1"), DueSource(2, "http://a.test/2")
    spider = SourcesSpider.from_crawler(get_crawler(SourcesSpider), due=[first])
    (probe,) = first_requests(spider)
    response = HtmlResponse(probe.url, status=404, body=b"<p>not here</p>", request=probe)
    (request,) = spider.probe_answered(response, origin="http://a.test")
    assert request.url == first.url and request.cb_kwargs["probe"].body is None  # a 404 page's body is not kept
    spider.due = [later]
    (direct,) = first_requests(spider)
    assert direct.url == later.url and direct.cb_kwargs["probe"] is request.cb_kwargs["probe"]


def test_host_probes_send_one_probe_per_host_and_release_its_waiting_sources() -> None:
    probes = HostProbes()
    a1, a2, b1 = DueSource(1, "http://a.test/1"), DueSource(2, "http://a.test/2"), DueSource(3, "http://b.test/1")
    assert [probes.wait("http://a.test", a1), probes.wait("http://a.test", a2), probes.wait("http://b.test", b1)] == [
        True, False, True,
    ]  # fmt: skip
    answer = ProbeFetch("http://a.test", "http://a.test/probe", 404)
    assert probes.answered("http://a.test", answer) == [a1, a2]
    assert probes.answer_of("http://a.test") is answer and probes.answer_of("http://b.test") is None


def test_without_a_work_list_the_arguments_select_sources_in_the_store(sqlite_url: str) -> None:
    article_id = add_article(sqlite_url, ["http://a.test/cited"])
    crawler = get_crawler(SourcesSpider, {"CITETRACK_DB": sqlite_url, "CITETRACK_DUE_BATCH": 10})
    spider = SourcesSpider.from_crawler(crawler, article=str(article_id))
    (probe,) = first_requests(spider)
    assert [due.url for due in spider.probes.waiting[probe.cb_kwargs["origin"]]] == ["http://a.test/cited"]
    assert crawler.stats.get_value("citetrack/sources") == 1
