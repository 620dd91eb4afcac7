"""Why a request was dropped on purpose: ``IgnoreRequest`` subclasses that the spider turns into failures.

IgnoreRequest
 ├── ForbiddenAddressRequest  netguard: the URL or a redirect hop points at a refused address
 ├── ResponseTooLarge         sizecap: the body (or its decompressed form) is over DOWNLOAD_MAXSIZE
 ├── RedirectLoop             redirect: a hop revisits a URL of its own chain
 └── TooManyRedirects         redirect: more than REDIRECT_MAX_TIMES hops
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class ForbiddenAddressRequest(IgnoreRequest):
    """Raised by ``PrivateAddressMiddleware`` for a private, loopback or link-local destination."""


class ResponseTooLarge(IgnoreRequest):
    """Raised by ``SizeCapMiddleware`` when a body exceeds the size cap; ``limit`` is the cap in bytes."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


class RedirectLoop(IgnoreRequest):
    """Raised by ``RedirectChainMiddleware`` when a redirect leads back into its own chain."""


class TooManyRedirects(IgnoreRequest):
    """Raised by ``RedirectChainMiddleware`` when the chain is longer than REDIRECT_MAX_TIMES."""
