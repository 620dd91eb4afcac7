"""Retry-After aware retries: header parsing, exponential backoff, and the wait before each retry."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares import retry
from crawler.middlewares.retry import RETRY_AFTER_META, RetryAfterMiddleware, parse_retry_after

NOW = datetime(2026, 11, 27, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def middleware() -> RetryAfterMiddleware:
    crawler = get_crawler(Spider, {"CITETRACK_RETRY_BACKOFF_BASE": 0.5, "CITETRACK_RETRY_BACKOFF_MAX": 1.5,
                                   "CITETRACK_RETRY_AFTER_MAX": 10, "RETRY_TIMES": 2})  # fmt: skip
    crawler.spider = crawler._create_spider("test")
    return RetryAfterMiddleware.from_crawler(crawler)


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the middleware's sleeps instead of sleeping."""
    recorded: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(retry, "sleep", fake_sleep)
    return recorded


@pytest.mark.parametrize(
    ("header", "seconds"),
    [(b"120", 120.0), (b"Fri, 27 Nov 2026 09:00:30 GMT", 30.0), (b"Thu, 26 Nov 2026 09:00:00 GMT", 0.0)],
)
def test_retry_after_accepts_seconds_and_http_dates(header: bytes, seconds: float) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


@pytest.mark.parametrize("header", [None, b"", b"soon", b"-5"])
def test_missing_or_invalid_retry_after_is_none(header: bytes | None) -> None:
    assert parse_retry_after(header, now=NOW) is None


def test_backoff_doubles_and_is_capped(middleware: RetryAfterMiddleware) -> None:
    assert [middleware.backoff(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 1.5, 1.5]


def _response(status: int, retry_after: str | None = None) -> HtmlResponse:
    headers = {"Retry-After": retry_after} if retry_after else {}
    return HtmlResponse("http://example.com/", status=status, headers=headers, request=Request("http://example.com/"))


def test_503_with_retry_after_waits_that_long_before_retrying(middleware, waits) -> None:
    request = Request("http://example.com/")
    result = asyncio.run(middleware.process_response(request, _response(503, "3")))
    assert isinstance(result, Request) and result.meta["retry_times"] == 1
    assert waits == [3.0]
    assert request.meta[RETRY_AFTER_META] == 3.0


def test_503_without_retry_after_waits_the_backoff(middleware, waits) -> None:
    request = Request("http://example.com/", meta={"retry_times": 1})
    result = asyncio.run(middleware.process_response(request, _response(503)))
    assert isinstance(result, Request) and result.meta["retry_times"] == 2
    assert waits == [1.0]


def test_retry_after_beyond_the_maximum_is_not_waited_for(middleware, waits) -> None:
    response = _response(429, "3600")
    assert asyncio.run(middleware.process_response(Request("http://example.com/"), response)) is response
    assert waits == []


def test_exhausted_retries_return_the_last_response(middleware, waits) -> None:
    response = _response(503, "1")
    request = Request("http://example.com/", meta={"retry_times": 2})
    assert asyncio.run(middleware.process_response(request, response)) is response
    assert waits == []


def test_timeout_is_retried_after_the_backoff(middleware, waits) -> None:
    from scrapy.exceptions import DownloadTimeoutError

    result = asyncio.run(middleware.process_exception(Request("http://example.com/"), DownloadTimeoutError("slow")))
    assert isinstance(result, Request)
    assert waits == [0.5]


def test_success_passes_through_untouched(middleware, waits) -> None:
    response = _response(200)
    assert asyncio.run(middleware.process_response(Request("http://example.com/"), response)) is response
