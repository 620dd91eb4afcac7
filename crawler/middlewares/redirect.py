"""Follow redirects like Scrapy, recording each hop and each HTTP exchange, and fail loops and over-long chains."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest

from crawler.middlewares.errors import RedirectLoop, TooManyRedirects

if TYPE_CHECKING:
    from scrapy.http import Headers, Response

# Request meta keys: the exchange of the request's latest response, and the exchanges of the redirects before it.
EXCHANGE_META = "citetrack_exchange"
HOPS_META = "citetrack_redirect_exchanges"


class RedirectChainMiddleware(RedirectMiddleware):
    """Scrapy's redirect middleware; a loop raises ``RedirectLoop``, too many hops ``TooManyRedirects``.

    Scrapy keeps the hops in ``redirect_urls`` / ``redirect_reasons`` meta; ``redirect_chain`` reads them.
    Without the loop check a revisited URL would be dropped silently by the dupe filter or spin until the
    hop limit. Every response's exchange (``http_exchange``) is kept in meta, read back by ``exchanges``:
    this middleware sees responses before decompression (``SizeCapMiddleware``), so with headers as received.
    Reads ``REDIRECT_ENABLED`` and ``REDIRECT_MAX_TIMES``.
    """

    def process_response(self, request: Request, response: Response) -> Request | Response:
        """Return the next hop, or the response when it is not a redirect."""
        exchange = http_exchange(request, response)
        try:
            result = super().process_response(request, response)
        except IgnoreRequest as error:
            raise TooManyRedirects(f"more than {self.max_redirect_times} redirects from {request.url}") from error
        if isinstance(result, Request):
            if result.url in result.meta["redirect_urls"]:
                raise RedirectLoop(f"redirect loop: {response.status} from {request.url} back to {result.url}")
            result.meta[HOPS_META] = [*request.meta.get(HOPS_META, []), exchange]
            result.meta.pop(EXCHANGE_META, None)
        else:
            request.meta[EXCHANGE_META] = exchange
        return result


def redirect_chain(meta: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the hops of a request's redirect chain: ``[{"status", "url"}]``, each URL the one that redirected."""
    urls = meta.get("redirect_urls", [])
    reasons = meta.get("redirect_reasons", [])
    return [
        {"status": reason, "url": url} if isinstance(reason, int) else {"status": None, "url": url, "via": str(reason)}
        for url, reason in zip(urls, reasons, strict=False)
    ]


def http_exchange(request: Request, response: Response) -> dict[str, Any]:
    """Return one HTTP exchange as sent and received: method, URL, request headers, the server's address,
    protocol, status and response headers.

    Headers are ``[name, value]`` pairs in Scrapy's order (names in its Title-Case, repeated names kept).
    """
    return {
        "method": request.method,
        "url": request.url,
        "request_headers": header_pairs(request.headers),
        "ip_address": str(response.ip_address) if response.ip_address is not None else None,
        "protocol": response.protocol,
        "status": response.status,
        "response_headers": header_pairs(response.headers),
    }


def exchanges(meta: dict[str, Any]) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """Return a request's final exchange (None before a response) and the redirect exchanges that led to it."""
    return meta.get(EXCHANGE_META), list(meta.get(HOPS_META, []))


def header_pairs(headers: Headers) -> list[list[str]]:
    """Return Scrapy headers as ``[name, value]`` pairs, decoded as Latin-1 (HTTP's byte-preserving reading)."""
    return [
        [name.decode("latin-1"), value.decode("latin-1")] for name, values in headers.items() for value in values
    ]
