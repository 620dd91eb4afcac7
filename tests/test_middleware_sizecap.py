"""Size cap: a body over DOWNLOAD_MAXSIZE, announced or streamed, fails as ResponseTooLarge."""

from __future__ import annotations

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError
from scrapy.utils.test import get_crawler

from crawler.middlewares.errors import ResponseTooLarge
from crawler.middlewares.sizecap import RECEIVED_META, SizeCapMiddleware


@pytest.fixture
def sizecap() -> SizeCapMiddleware:
    crawler = get_crawler(Spider, {"DOWNLOAD_MAXSIZE": 1000})
    crawler.spider = crawler._create_spider("test")
    return SizeCapMiddleware.from_crawler(crawler)


def test_announced_size_over_the_cap_is_too_large(sizecap) -> None:
    error = DownloadCancelledError("Expected to receive 5000 bytes which is larger than download max size (1000)")
    with pytest.raises(ResponseTooLarge) as raised:
        sizecap.process_exception(Request("http://a.test/"), error)
    assert raised.value.limit == 1000


def test_streamed_body_cut_at_the_cap_is_too_large(sizecap) -> None:
    request = Request("http://a.test/")
    sizecap.bytes_received(b"x" * 600, request)
    sizecap.bytes_received(b"x" * 600, request)
    assert request.meta[RECEIVED_META] == 1200
    with pytest.raises(ResponseTooLarge):
        sizecap.process_exception(request, DownloadCancelledError(""))


def test_other_cancellations_and_errors_are_left_alone(sizecap) -> None:
    assert sizecap.process_exception(Request("http://a.test/"), DownloadCancelledError("")) is None
    assert sizecap.process_exception(Request("http://a.test/"), DownloadTimeoutError("slow")) is None
