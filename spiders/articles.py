"""The ``articles`` spider: read each registered feed, sitemap or listing page and fetch the articles it lists."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.dates import as_utc
from crawler.exceptions import NotAFeed
from crawler.items import ArticlePageItem, FeedReadItem
from crawler.jobs.discover import entries_to_fetch, registered_feeds
from crawler.middlewares.conditional import VALIDATORS_META
from crawler.urls import is_http_url
from spiders.failures import failure_name
from store.feeds import FeedTarget

if TYPE_CHECKING:
    from scrapy.http import Response

    from crawler.ingest.feeds import Entry
    from twisted.python.failure import Failure

# Stats: how many items this crawl will yield (feeds read, articles requested), as the crawl's progress total.
TOTAL_STAT = "citetrack/articles"


class ArticlesSpider(Spider):
    """Read every feed registered with ``citetrack feeds add`` (in ``CITETRACK_DB``) and fetch the articles listed.

    A feed is requested conditionally with the validators of its last complete read (a 304 lists nothing new).
    RSS/Atom feeds are read with feedparser, sitemaps (a sitemap index and the sitemaps it names, gzipped or
    not, or the ``Sitemap:`` lines of a robots.txt) with Scrapy's sitemap parser, listing pages by their links to
    other pages of the site. An article the feed dates no later than its latest ingestion is not fetched again;
    any other is, and the ingest pipeline ingests it as ``citetrack ingest URL`` does. Each read yields a
    ``FeedReadItem`` and each article an ``ArticlePageItem``, failures included. The callers may hand the feeds
    over (``feeds=``). Middlewares (robots.txt, politeness, private addresses, size cap) are the crawl's own.
    """

    name = "articles"
    # This spider's items are feeds and articles, not source checks: its own pipelines, and no health pass.
    custom_settings: ClassVar[dict[str, Any]] = {
        "ITEM_PIPELINES": {
            "crawler.pipelines.ingest.ArticleIngestPipeline": 300,
            "crawler.pipelines.feeds.FeedStatePipeline": 400,
        },
        "EXTENSIONS": {"crawler.extensions.healthpass.HealthPassExtension": None},
    }

    def __init__(self, *args: Any, feeds: Sequence[FeedTarget] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feeds = feeds
        self.db_url = ""
        self.max_size = 0

    async def start(self) -> AsyncIterator[Request]:
        """Yield one request per registered feed, conditional when its last complete read left validators."""
        settings = self.crawler.settings
        self.db_url = settings.get("CITETRACK_DB")
        self.max_size = settings.getint("DOWNLOAD_MAXSIZE")
        feeds = self.feeds if self.feeds is not None else registered_feeds(self.db_url)
        self.crawler.stats.set_value("citetrack/feeds", len(feeds))
        self.crawler.stats.set_value(TOTAL_STAT, len(feeds))
        for feed in feeds:
            yield Request(
                feed.url, callback=self.parse_feed, errback=self.read_failed, dont_filter=True,
                meta={VALIDATORS_META: {"etag": feed.etag, "last_modified": feed.last_modified},
                      "handle_httpstatus_list": [304]},
                cb_kwargs={"feed": feed},
            )  # fmt: skip

    async def parse_feed(self, response: Response, feed: FeedTarget) -> AsyncIterator[FeedReadItem | Request]:
        """Read a feed's answer: nothing new on a 304, else its article links (or sitemaps) by its kind."""
        validators = _validators(response, feed)
        if response.status == 304:
            yield FeedReadItem(feed.feed_id, response.url, 304, **validators)
            return
        try:
            body = self._body(response)
            kind = _kind(feed, response.url, body)
            read = FeedReadItem(feed.feed_id, response.url, response.status, kind, **validators)
            parsed = self._parse(response, body, kind, read)
        except NotAFeed as error:
            yield FeedReadItem(feed.feed_id, response.url, response.status, error=str(error))
            return
        async for output in self._follow(read, parsed):
            yield output

    async def parse_sitemap(self, response: Response, feed: FeedTarget) -> AsyncIterator[FeedReadItem | Request]:
        """Read a sitemap that a registered sitemap index (or robots.txt) names."""
        read = FeedReadItem(feed.feed_id, response.url, response.status, "sitemap")
        try:
            body = self._body(response)
            _feeds().check_kind("sitemap", body)
            parsed = self._parse(response, body, "sitemap", read)
        except NotAFeed as error:
            read.error = str(error)
            yield read
            return
        async for output in self._follow(read, parsed):
            yield output

    def parse_article(self, response: Response, feed_id: int) -> ArticlePageItem:
        """Hand a fetched article page to the ingest pipeline."""
        content_type = response.headers.get("content-type")
        return ArticlePageItem(
            feed_id, response.request.url if response.request else response.url, response.url,
            content_type.decode("latin-1") if content_type else None, response.body,
        )  # fmt: skip

    def read_failed(self, failure: Failure) -> FeedReadItem:
        """Record why a feed (or a sitemap it names) could not be read: HTTP status, robots, address, size …"""
        request = failure.request  # type: ignore[attr-defined]
        response = failure.value.response if failure.check(HttpError) else None
        return FeedReadItem(
            request.cb_kwargs["feed"].feed_id, request.url, response.status if response is not None else None,
            error=_failure_message(failure),
        )  # fmt: skip

    def article_failed(self, failure: Failure) -> ArticlePageItem:
        """Record why an article could not be fetched; the feed is then read in full again next run."""
        request = failure.request  # type: ignore[attr-defined]
        return ArticlePageItem(request.cb_kwargs["feed_id"], request.url, error=_failure_message(failure))

    def _body(self, response: Response) -> bytes:
        """Return the body, gunzipped when it is a gzip file (a ``.xml.gz`` sitemap), within DOWNLOAD_MAXSIZE."""
        if not gzip_magic_number(response):
            return response.body
        limit = response.meta.get("download_maxsize", self.max_size)
        try:
            return gunzip(response.body, max_size=limit)
        except ValueError as error:  # Scrapy's size check raises a ValueError subclass
            raise NotAFeed(f"too_large: over the {limit}-byte cap once decompressed") from error
        except (OSError, EOFError) as error:
            raise NotAFeed(f"not a readable gzip file: {error}") from error

    def _parse(self, response: Response, body: bytes, kind: str, read: FeedReadItem) -> list[Entry] | list[str]:
        """Return the article entries a body lists, or for a sitemap index (or robots.txt) the sitemaps it names.

        Sets the kind read (``rss`` or ``atom`` as parsed) and a malformed feed's error on ``read``.
        """
        content_type = response.headers.get("content-type")
        declared = content_type.decode("latin-1") if content_type else None
        feeds = _feeds()
        if kind == "sitemap" and _is_robots(response.url):
            return list(sitemap_urls_from_robots(response.text, base_url=response.url))
        if kind == "sitemap":
            sitemap = Sitemap(body)
            if sitemap.type == "sitemapindex":
                return [urljoin(response.url, entry["loc"]) for entry in sitemap if "loc" in entry]
            return [
                feeds.Entry(urljoin(response.url, e["loc"]), as_utc(e.get("lastmod"))) for e in sitemap if "loc" in e
            ]
        if kind == "listing":
            return feeds.listing_entries(body, response.url, declared)
        parsed = feeds.feed_entries(body, response.url, declared)
        read.kind, read.error = parsed.kind, parsed.malformed
        return parsed.entries

    async def _follow(self, read: FeedReadItem, parsed: list[Entry] | list[str]) -> AsyncIterator[FeedReadItem | Request]:
        """Yield the read, then a request per sitemap named or per article not ingested since the feed dates it."""
        feed_id = read.feed_id
        sitemaps = [url for url in parsed if isinstance(url, str) and is_http_url(url)]
        entries = [entry for entry in parsed if not isinstance(entry, str) and is_http_url(entry.url)]
        read.entries = len(entries)
        yield read
        for url in sitemaps:
            self.crawler.stats.inc_value(TOTAL_STAT)
            feed = FeedTarget(feed_id, url)
            yield Request(url, callback=self.parse_sitemap, errback=self.read_failed, cb_kwargs={"feed": feed})
        wanted = await asyncio.to_thread(entries_to_fetch, self.db_url, entries)
        self.crawler.stats.inc_value("citetrack/discover/entries/listed", len(entries))
        self.crawler.stats.inc_value("citetrack/discover/entries/skipped", len(entries) - len(wanted))
        for request in self._article_requests(wanted, feed_id):
            self.crawler.stats.inc_value(TOTAL_STAT)
            yield request

    def _article_requests(self, entries: list[Entry], feed_id: int) -> Iterator[Request]:
        # Not dont_filter: an article two feeds list is fetched once per run.
        for entry in entries:
            yield Request(
                entry.url, callback=self.parse_article, errback=self.article_failed, cb_kwargs={"feed_id": feed_id}
            )


def _kind(feed: FeedTarget, url: str, body: bytes) -> str:
    """Return the kind to read ``body`` as: the feed's given (or once detected) kind, checked, else detected."""
    if _is_robots(url):
        return "sitemap"
    if feed.kind is None:
        return _feeds().detect_kind(body)
    _feeds().check_kind(feed.kind, body)
    return feed.kind


def _feeds() -> ModuleType:
    """Return ``crawler.ingest.feeds``, imported at the first read of a feed.

    Scrapy imports every spider module for every crawl; the sources crawl needs neither feedparser nor the
    article parser that this module brings in (about a second of start-up on a loaded machine).
    """
    from crawler.ingest import feeds

    return feeds


def _is_robots(url: str) -> bool:
    return urlsplit(url).path == "/robots.txt"


def _validators(response: Response, feed: FeedTarget) -> dict[str, str | None]:
    """Return the answer's ETag and Last-Modified (a 304's, or else those the request sent)."""
    found = {name: response.headers.get(header) for name, header in (("etag", "ETag"), ("last_modified", "Last-Modified"))}
    previous = {"etag": feed.etag, "last_modified": feed.last_modified} if response.status == 304 else {}
    return {name: value.decode("latin-1") if value else previous.get(name) for name, value in found.items()}


def _failure_message(failure: Failure) -> str:
    """Return a one-line reason: ``HTTP 404``, or the failure's name and message (``redirect_loop: …``)."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    name = failure_name(failure.value)
    detail = str(failure.value) or type(failure.value).__name__
    hint = " (allow with --allow-host HOST:PORT)" if name == "forbidden_address" else ""
    return f"{name}: {detail}{hint}"
