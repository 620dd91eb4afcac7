"""Decompress responses like Scrapy, and turn any body over DOWNLOAD_MAXSIZE into one typed failure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest

from crawler.middlewares.errors import ResponseTooLarge

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

# Words in Scrapy's message for a download refused over the cap because of its announced Content-Length.
_MAXSIZE_MARK = "max size"
# Request meta key: body bytes received so far (a streamed body cut at the cap is cancelled without a message).
RECEIVED_META = "citetrack_bytes_received"


class SizeCapMiddleware(HttpCompressionMiddleware):
    """Raise ``ResponseTooLarge`` (with the cap) for a body over ``DOWNLOAD_MAXSIZE``, compressed or not.

    The HTTP handler cancels an oversized download and the decompressor stops at the cap; both are reported
    here under one exception so that the check is recorded as too_large and nothing half-read is stored.
    Reads ``DOWNLOAD_MAXSIZE``, ``DOWNLOAD_WARNSIZE``, ``COMPRESSION_ENABLED``.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Also count received bytes per request, to recognise a streamed body cut at the cap."""
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.bytes_received, signal=signals.bytes_received)
        return middleware

    def bytes_received(self, data: bytes, request: Request) -> None:
        """Add a received chunk to the request's byte count."""
        request.meta[RECEIVED_META] = request.meta.get(RECEIVED_META, 0) + len(data)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        """Decompress the body; an oversized result raises ``ResponseTooLarge``."""
        try:
            return super().process_response(request, response)
        except IgnoreRequest as error:
            raise ResponseTooLarge(str(error), self._limit(request)) from error

    def process_exception(self, request: Request, exception: Exception) -> None:
        """Re-raise a download cancelled for its size as ``ResponseTooLarge``."""
        if not isinstance(exception, DownloadCancelledError):
            return None
        limit, received = self._limit(request), request.meta.get(RECEIVED_META, 0)
        if _MAXSIZE_MARK in str(exception):
            raise ResponseTooLarge(str(exception), limit) from exception
        if limit and received > limit:
            raise ResponseTooLarge(f"received {received} bytes, over the {limit}-byte cap", limit) from exception
        return None

    def _limit(self, request: Request) -> int:
        return int(request.meta.get("download_maxsize", self._max_size))
