"""Retry 429, 5xx and timeouts with exponential backoff, waiting as long as a Retry-After header asks."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.asyncio import sleep

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

# Request meta key: seconds of the last Retry-After the server sent (kept as evidence on the check).
RETRY_AFTER_META = "citetrack_retry_after"


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retry middleware plus a wait before each retry.

    The wait is ``CITETRACK_RETRY_BACKOFF_BASE * 2**(n-1)`` seconds (capped at ``CITETRACK_RETRY_BACKOFF_MAX``),
    or the response's Retry-After when that is longer. A Retry-After above ``CITETRACK_RETRY_AFTER_MAX`` is not
    waited for: the response goes to the spider as it is. Also reads ``RETRY_*`` like Scrapy's.
    """

    def __init__(
        self,
        settings: BaseSettings,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        retry_after_max: float = 120.0,
    ) -> None:
        super().__init__(settings)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.retry_after_max = retry_after_max

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read the backoff settings."""
        settings = crawler.settings
        middleware = cls(
            settings,
            settings.getfloat("CITETRACK_RETRY_BACKOFF_BASE"),
            settings.getfloat("CITETRACK_RETRY_BACKOFF_MAX"),
            settings.getfloat("CITETRACK_RETRY_AFTER_MAX"),
        )
        middleware.crawler = crawler
        return middleware

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        """Retry a retryable status after the backoff or the Retry-After delay."""
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is not None:
            request.meta[RETRY_AFTER_META] = retry_after
            if retry_after > self.retry_after_max:
                return response
        retry = self._retry(request, f"{response.status} response")
        if retry is None:
            return response
        await sleep(max(retry_after or 0.0, self.backoff(retry.meta["retry_times"])))
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        """Retry a retryable transport error after the backoff."""
        retry = super().process_exception(request, exception)
        if retry is not None:
            await sleep(self.backoff(retry.meta["retry_times"]))
        return retry

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based)."""
        return min(self.backoff_base * 2 ** (attempt - 1), self.backoff_max)


def parse_retry_after(value: bytes | None, now: datetime | None = None) -> float | None:
    """Return a Retry-After header (delta-seconds or HTTP-date) in seconds from now; None if absent or invalid."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)
