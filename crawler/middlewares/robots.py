"""Scrapy's robots.txt middleware, logging an unreachable robots.txt in one line per host instead of a traceback."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares import robotstxt
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

from crawler.exceptions import error_line

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class OneLineRobotsTxtMiddleware(RobotsTxtMiddleware):
    """``RobotsTxtMiddleware`` whose "Error downloading" record (60–70 lines with its traceback) becomes one line.

    Scrapy logs that record with ``exc_info`` from inside ``robot_parser``, which has no hook, so a filter on
    its module's logger rewrites it; what the middleware does (treat the host as allowed) is unchanged.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the middleware and make sure its logger's errors are one line."""
        if not any(isinstance(f, _OneLineRobotsErrors) for f in robotstxt.logger.filters):
            robotstxt.logger.addFilter(_OneLineRobotsErrors())
        return super().from_crawler(crawler)


class _OneLineRobotsErrors(logging.Filter):
    """Rewrite "Error downloading <robots.txt>" records as one line naming the host and the error."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is None or not isinstance(record.args, dict) or "request" not in record.args:
            return True
        record.msg = "robots.txt for %(host)s could not be fetched (%(error)s); its pages are fetched as allowed"
        host = urlsplit(record.args["request"].url).netloc
        record.args = {"host": host, "error": f"{type(error).__name__}: {error_line(error)}"}
        record.exc_info, record.exc_text = None, None
        return True
