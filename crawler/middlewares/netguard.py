"""Refuse requests, and every redirect hop, whose host resolves to a private, loopback or link-local address."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from scrapy.exceptions import CannotResolveHostError
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import DNSLookupError

from crawler.middlewares.errors import ForbiddenAddressRequest
from crawler.netguard import AddressPolicy, is_forbidden_ip

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

DEFAULT_PORTS = {"http": 80, "https": 443}


class PrivateAddressMiddleware:
    """Check each request's destination after DNS resolution.

    Redirects come back through ``process_request`` as new requests, so every hop is checked. The host is
    resolved through the crawl's caching resolver, so the connection then uses the address that was checked.

    Settings: ``CITETRACK_ALLOW_PRIVATE`` (bool), ``CITETRACK_ALLOW_HOSTS`` (list of ``host`` or ``host:port``).
    """

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the policy from the settings."""
        settings = crawler.settings
        return cls(AddressPolicy.of(settings.getbool("CITETRACK_ALLOW_PRIVATE"), settings.getlist("CITETRACK_ALLOW_HOSTS")))

    async def process_request(self, request: Request) -> None:
        """Raise ``ForbiddenAddressRequest`` when the request's host is refused by the policy."""
        parsed = urlparse_cached(request)
        host = (parsed.hostname or "").lower().strip("[]")
        port = parsed.port or DEFAULT_PORTS.get(parsed.scheme, 0)
        if self.policy.allows_host(host, port):
            return None
        address = host if _is_ip(host) else await _resolve(host)
        if is_forbidden_ip(address):
            raise ForbiddenAddressRequest(f"{host} resolves to {address}, a private or local address")
        return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


async def _resolve(host: str) -> str:
    """Resolve through the reactor's (Scrapy's caching) resolver; a failure is the download's DNS error."""
    from twisted.internet import reactor

    try:
        return await maybe_deferred_to_future(reactor.resolve(host))
    except DNSLookupError as error:
        raise CannotResolveHostError(str(error)) from error
