"""Follow redirects like Scrapy, recording each hop, and fail loops and over-long chains explicitly."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest

from crawler.middlewares.errors import RedirectLoop, TooManyRedirects

if TYPE_CHECKING:
    from scrapy.http import Response


class RedirectChainMiddleware(RedirectMiddleware):
    """Scrapy's redirect middleware; a loop raises ``RedirectLoop``, too many hops ``TooManyRedirects``.

    Scrapy keeps the hops in ``redirect_urls`` / ``redirect_reasons`` meta; ``redirect_chain`` reads them.
    Without the loop check a revisited URL would be dropped silently by the dupe filter or spin until the
    hop limit. Reads ``REDIRECT_ENABLED`` and ``REDIRECT_MAX_TIMES``.
    """

    def process_response(self, request: Request, response: Response) -> Request | Response:
        """Return the next hop, or the response when it is not a redirect."""
        try:
            result = super().process_response(request, response)
        except IgnoreRequest as error:
            raise TooManyRedirects(f"more than {self.max_redirect_times} redirects from {request.url}") from error
        if isinstance(result, Request) and result.url in result.meta["redirect_urls"]:
            raise RedirectLoop(f"redirect loop: {response.status} from {request.url} back to {result.url}")
        return result


def redirect_chain(meta: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the hops of a request's redirect chain: ``[{"status", "url"}]``, each URL the one that redirected."""
    urls = meta.get("redirect_urls", [])
    reasons = meta.get("redirect_reasons", [])
    return [
        {"status": reason, "url": url} if isinstance(reason, int) else {"status": None, "url": url, "via": str(reason)}
        for url, reason in zip(urls, reasons, strict=False)
    ]
