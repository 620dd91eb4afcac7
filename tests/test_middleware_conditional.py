"""Conditional request headers from the last snapshot's validators."""

from __future__ import annotations

from scrapy import Request

from crawler.middlewares.conditional import VALIDATORS_META, ConditionalRequestMiddleware


def test_validators_of_the_last_snapshot_become_conditional_headers() -> None:
    validators = {"etag": '"abc"', "last_modified": "Wed, 21 Oct 2026 07:28:00 GMT"}
    request = Request("http://a.test/", meta={VALIDATORS_META: validators})
    ConditionalRequestMiddleware().process_request(request)
    assert request.headers["If-None-Match"] == b'"abc"'
    assert request.headers["If-Modified-Since"] == b"Wed, 21 Oct 2026 07:28:00 GMT"


def test_request_without_validators_is_unconditional() -> None:
    request = Request("http://a.test/", meta={VALIDATORS_META: {"etag": None, "last_modified": None}})
    ConditionalRequestMiddleware().process_request(request)
    assert b"If-None-Match" not in request.headers and b"If-Modified-Since" not in request.headers
