"""Name why a request failed, in the vocabulary of ``crawler.health.outcome.FAILURES``."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from twisted.internet import error as twisted_errors

from crawler.middlewares.errors import ForbiddenAddressRequest, RedirectLoop, ResponseTooLarge, TooManyRedirects

_BY_TYPE: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    (ForbiddenAddressRequest, "forbidden_address"),
    (ResponseTooLarge, "too_large"),
    (RedirectLoop, "redirect_loop"),
    (TooManyRedirects, "too_many_redirects"),
    ((CannotResolveHostError, twisted_errors.DNSLookupError), "dns"),
    ((DownloadConnectionRefusedError, twisted_errors.ConnectionRefusedError), "refused"),
    ((DownloadTimeoutError, twisted_errors.TimeoutError, TimeoutError), "timeout"),
)


def failure_name(error: BaseException) -> str:
    """Return the failure name for an exception that ended a request."""
    for types, name in _BY_TYPE:
        if isinstance(error, types):
            return name
    if isinstance(error, IgnoreRequest):
        message = str(error)
        if "robots.txt" in message:
            return "robots"
        if "max redirections" in message:
            return "too_many_redirects"
    return "connection"
