"""Redirect middleware: loops and over-long chains fail explicitly; hops are read back as a chain."""

from __future__ import annotations

import pytest
from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.middlewares.errors import RedirectLoop, TooManyRedirects
from crawler.middlewares.redirect import RedirectChainMiddleware, exchanges, redirect_chain


@pytest.fixture
def middleware() -> RedirectChainMiddleware:
    crawler = get_crawler(Spider, {"REDIRECT_MAX_TIMES": 2})
    crawler.spider = crawler._create_spider("test")
    return RedirectChainMiddleware.from_crawler(crawler)


def _redirect(url: str, to: str, status: int = 302) -> Response:
    return Response(url, status=status, headers={"Location": to})


def test_redirect_is_followed_and_recorded(middleware) -> None:
    hop = middleware.process_response(Request("http://a.test/old"), _redirect("http://a.test/old", "/new", 301))
    assert isinstance(hop, Request) and hop.url == "http://a.test/new"
    assert redirect_chain(hop.meta) == [{"status": 301, "url": "http://a.test/old"}]


def test_redirect_back_into_the_chain_is_a_loop(middleware) -> None:
    first = middleware.process_response(Request("http://a.test/a"), _redirect("http://a.test/a", "/b"))
    with pytest.raises(RedirectLoop):
        middleware.process_response(first, _redirect("http://a.test/b", "/a"))


def test_more_hops_than_allowed_is_too_many_redirects(middleware) -> None:
    request = Request("http://a.test/0")
    for n in range(2):
        request = middleware.process_response(request, _redirect(request.url, f"/{n + 1}"))
    with pytest.raises(TooManyRedirects):
        middleware.process_response(request, _redirect(request.url, "/3"))


def test_non_redirect_response_passes_through(middleware) -> None:
    response = Response("http://a.test/", status=200)
    assert middleware.process_response(Request("http://a.test/"), response) is response


def test_meta_refresh_hops_are_marked_in_the_chain() -> None:
    meta = {"redirect_urls": ["http://a.test/x", "http://a.test/y"], "redirect_reasons": [308, "meta refresh"]}
    assert redirect_chain(meta) == [
        {"status": 308, "url": "http://a.test/x"},
        {"status": None, "url": "http://a.test/y", "via": "meta refresh"},
    ]


def test_each_hop_and_the_final_response_keep_their_exchange_as_sent_and_received(middleware) -> None:
    first = Request("http://a.test/old", headers={"User-Agent": "citetrack-test", "Accept": "text/html"})
    redirect = Response(
        "http://a.test/old", status=301, protocol="HTTP/1.1",
        headers={"Location": "/new", "Set-Cookie": ["a=1", "b=2"]},
    )  # fmt: skip
    hop = middleware.process_response(first, redirect)
    final = Response("http://a.test/new", status=200, protocol="HTTP/1.1", headers={"Content-Encoding": "gzip"})
    assert middleware.process_response(hop, final) is final
    exchange, hops = exchanges(hop.meta)
    assert hops == [
        {
            "method": "GET", "url": "http://a.test/old", "ip_address": None, "protocol": "HTTP/1.1", "status": 301,
            "request_headers": [["User-Agent", "citetrack-test"], ["Accept", "text/html"]],
            "response_headers": [["Location", "/new"], ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]],
        }
    ]  # fmt: skip
    assert exchange is not None
    assert (exchange["url"], exchange["status"]) == ("http://a.test/new", 200)
    assert exchange["response_headers"] == [["Content-Encoding", "gzip"]]


def test_a_request_without_a_response_has_no_exchange_of_its_own(middleware) -> None:
    hop = middleware.process_response(Request("http://a.test/a"), _redirect("http://a.test/a", "/b"))
    exchange, hops = exchanges(hop.meta)
    assert exchange is None
    assert [step["url"] for step in hops] == ["http://a.test/a"]
