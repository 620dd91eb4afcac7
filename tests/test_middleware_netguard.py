"""Private-address refusal of IP-literal destinations (host names are covered by the crawl tests)."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request

from crawler.middlewares.errors import ForbiddenAddressRequest
from crawler.middlewares.netguard import PrivateAddressMiddleware
from crawler.netguard import AddressPolicy


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1/", "http://127.0.0.1:8080/x", "http://[::1]/", "http://169.254.169.254/"]
)
def test_private_ip_literals_are_refused_by_default(url: str) -> None:
    middleware = PrivateAddressMiddleware(AddressPolicy())
    with pytest.raises(ForbiddenAddressRequest):
        asyncio.run(middleware.process_request(Request(url)))


def test_allowed_host_and_port_pass_but_another_port_does_not() -> None:
    middleware = PrivateAddressMiddleware(AddressPolicy(allow_hosts=frozenset({"127.0.0.1:8080"})))
    assert asyncio.run(middleware.process_request(Request("http://127.0.0.1:8080/"))) is None
    with pytest.raises(ForbiddenAddressRequest):
        asyncio.run(middleware.process_request(Request("http://127.0.0.1:8081/")))


def test_public_ip_literal_passes() -> None:
    assert (
        asyncio.run(PrivateAddressMiddleware(AddressPolicy()).process_request(Request("http://93.184.215.14/"))) is None
    )
