"""The ``sources`` spider: check each due source once, following a report landing page to its document."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator, Sized
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from parsel import Selector
from scrapy import Request, Spider
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.charset import decode_html
from crawler.extract import landing, sniff_kind
from crawler.extract.outlets import Outlet, OutletRouter
from crawler.items import LEASE_META, ProbeFetch, SourceCheckItem
from crawler.jobs.due import Selection, count_due_sources, stream_due_sources
from crawler.middlewares.conditional import VALIDATORS_META
from crawler.middlewares.redirect import exchanges, redirect_chain
from crawler.middlewares.retry import RETRY_AFTER_META
from spiders.failures import failure_name
from spiders.probes import HostProbes
from store.crawl import DueSource

if TYPE_CHECKING:

    from scrapy.http import Response
    from twisted.python.failure import Failure

# How long the work list waits, in seconds, before asking again whether the engine has room.
BACKOUT_WAIT = 0.05
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Response headers kept as evidence on the check.
# What a fetch entry keeps of its exchange (crawler.middlewares.redirect.http_exchange) besides URL and status.
EXCHANGE_KEYS = ("method", "request_headers", "ip_address", "protocol", "response_headers")
KEPT_HEADERS = ("content-type", "content-length", "etag", "last-modified", "retry-after", "www-authenticate", "server")


class SourcesSpider(Spider):
    """Crawl the sources the caller hands over (``due=``, any iterable, read as it is consumed), or those the
    ``-a`` arguments select: ``article=ID``, ``source=URL``, ``all=1``, ``due_at=ISO_TIME`` (the due policy's
    sources due by then), default those never checked (``checked_before=ISO_TIME`` adds those last checked
    before that time). ``crawler.jobs.due`` reads them from ``CITETRACK_DB``, ``CITETRACK_DUE_BATCH`` at a time.

    Per host, one probe of a random path that cannot exist goes first (the soft-404 baseline); the host's
    sources wait for its answer, which later sources of the host reuse. Each source is requested once,
    conditionally when a snapshot has validators. Every non-redirect status reaches the callbacks, so each
    source yields exactly one ``SourceCheckItem``, failures included. Sources are taken from the work list only
    while the engine has room (``needs_backout``), so a million due sources are never all in memory.
    """

    name = "sources"
    handle_httpstatus_list = [code for code in range(300, 600) if code not in REDIRECT_STATUSES]

    def __init__(
        self,
        *args: Any,
        article: str | None = None,
        source: str | None = None,
        due: Iterable[DueSource] | None = None,
        total: int | None = None,
        **kwargs: Any,
    ) -> None:
        every = str(kwargs.pop("all", "")).lower() in {"1", "true", "yes"}
        checked_before, due_at = kwargs.pop("checked_before", None), kwargs.pop("due_at", None)
        super().__init__(*args, **kwargs)
        self.selection = Selection(
            article_id=int(article) if article else None,
            url=source,
            every=every,
            checked_before=datetime.fromisoformat(checked_before) if checked_before else None,
            due_at=datetime.fromisoformat(due_at) if due_at else None,
        )
        self.due = due
        self.total = len(due) if total is None and isinstance(due, Sized) else total
        self.router = OutletRouter()
        self.probes = HostProbes()

    async def start(self) -> AsyncIterator[Request]:
        """Yield each host's probe, then the sources of hosts whose probe has answered, as the engine has room.

        The work list is the caller's ``due``, else the sources the ``-a`` arguments select in ``CITETRACK_DB``.
        Settings are read here, after Scrapy's add-ons (``crawler.config.EnvironmentSettings``) have run.
        """
        settings = self.crawler.settings
        self.router = OutletRouter(settings.getdict("CITETRACK_OUTLET_URLS"))
        due = self.due
        if due is None:
            db_url = settings.get("CITETRACK_DB")
            self.total = count_due_sources(db_url, self.selection)
            due = stream_due_sources(db_url, self.selection, settings.getint("CITETRACK_DUE_BATCH"))
        self.crawler.stats.set_value("citetrack/sources", self.total)
        for source in due:
            await self._room()
            origin = _origin(source)
            probe = self.probes.answer_of(origin)
            if probe is not None:
                yield self._source_request(source, probe)
            elif self.probes.wait(origin, source):
                yield Request(
                    f"{origin}/citetrack-probe-{uuid.uuid4().hex}",
                    callback=self.probe_answered,
                    errback=self.probe_failed,
                    dont_filter=True,
                    meta={"max_retry_times": 0},
                    cb_kwargs={"origin": origin},
                )

    def probe_answered(self, response: Response, origin: str) -> Iterator[Request]:
        """Keep the host's answer for a nonexistent path and request the host's waiting sources."""
        # Only a 2xx answer's body is read (the soft-404 baseline); a 404 page's is not kept for the whole crawl.
        body = response.body if 200 <= response.status < 300 else None
        probe = ProbeFetch(
            origin, response.request.url if response.request else response.url, response.status, response.url,
            _header(response, "content-type"), body,
        )  # fmt: skip
        yield from (self._source_request(due, probe) for due in self.probes.answered(origin, probe))

    def probe_failed(self, failure: Failure) -> Iterator[Request]:
        """A failed probe gives no baseline; the host's sources are still requested."""
        request = failure.request  # type: ignore[attr-defined]
        origin = request.cb_kwargs["origin"]
        probe = ProbeFetch(origin, request.url)
        yield from (self._source_request(due, probe) for due in self.probes.answered(origin, probe))

    async def _room(self) -> None:
        """Wait while the engine cannot take more requests (its downloader or scraper is full)."""
        if not self.crawler.crawling:  # no engine (a spider driven by hand): nothing to wait for
            return
        engine = self.crawler.engine
        while engine.running and engine.needs_backout():
            await asyncio.sleep(BACKOUT_WAIT)

    def parse_source(
        self, response: Response, due: DueSource, probe: ProbeFetch
    ) -> Iterator[Request | SourceCheckItem]:
        """Yield the check item, or first follow a landing page's main document link."""
        item = _item(response, due, probe)
        content_type = item.content_type
        if 200 <= response.status < 300 and sniff_kind(response.body, content_type) == "html":
            outlet = self.router.for_url(response.url) or self.router.for_url(due.url)
            if outlet is not None:
                item.outlet = item.fetches[-1]["outlet"] = outlet.name
            link = _document_link(decode_html(response.body, content_type), response.url, outlet)
            if link and link != response.url:
                yield Request(
                    link, callback=self.parse_document, errback=self.document_failed, dont_filter=True,
                    cb_kwargs={"landing": item}, meta=_lease(response.request),
                )  # fmt: skip
                return
        yield item

    def parse_document(self, response: Response, landing: SourceCheckItem) -> SourceCheckItem:
        """Use the document behind a landing page as the source's body; keep the page if it has none."""
        landing.fetches.append(_fetch_entry(response))
        if 200 <= response.status < 300 and response.body:
            landing.body = response.body
            landing.content_type = _header(response, "content-type")
            landing.outlet = None
            # The page's validators do not describe the document: the next check refetches and compares hashes.
            landing.headers = {
                key: value for key, value in landing.headers.items() if key not in ("etag", "last-modified")
            }
        return landing

    def document_failed(self, failure: Failure) -> SourceCheckItem:
        """Keep the landing page as the body when its document cannot be fetched."""
        request = failure.request  # type: ignore[attr-defined]
        landing = request.cb_kwargs["landing"]
        landing.fetches.append(_failed_fetch(request, failure_name(failure.value)))
        return landing

    def source_failed(self, failure: Failure) -> SourceCheckItem:
        """Turn a failed request (robots, refused address, timeout, …) into its check item."""
        request = failure.request  # type: ignore[attr-defined]
        due, probe = request.cb_kwargs["due"], request.cb_kwargs["probe"]
        if failure.check(HttpError):
            return _item(failure.value.response, due, probe)
        name = failure_name(failure.value)
        return SourceCheckItem(
            source_id=due.source_id,
            url=due.url,
            final_url=request.url,
            redirect_chain=redirect_chain(request.meta),
            fetches=[_failed_fetch(request, name)],
            failure=name,
            failure_detail=str(failure.value) or type(failure.value).__name__,
            retries=request.meta.get("retry_times", 0),
            retry_after=request.meta.get(RETRY_AFTER_META),
            probe=probe,
            previous_snapshot_id=due.snapshot_id,
            previous_hash=due.content_hash,
            lease=request.meta.get(LEASE_META),
        )

    def _source_request(self, due: DueSource, probe: ProbeFetch) -> Request:
        return Request(
            due.url,
            callback=self.parse_source,
            errback=self.source_failed,
            dont_filter=True,
            meta={VALIDATORS_META: {"etag": due.etag, "last_modified": due.last_modified}},
            cb_kwargs={"due": due, "probe": probe},
        )


def _item(response: Response, due: DueSource, probe: ProbeFetch) -> SourceCheckItem:
    """Build the check item of a response that reached the spider (any status but a followed redirect)."""
    request = response.request
    meta = request.meta if request is not None else {}
    return SourceCheckItem(
        source_id=due.source_id,
        url=due.url,
        final_url=response.url,
        http_status=response.status,
        redirect_chain=redirect_chain(meta),
        fetches=[_fetch_entry(response)],
        headers={key: value for key in KEPT_HEADERS if (value := _header(response, key)) is not None},
        content_type=_header(response, "content-type"),
        body=response.body,
        retries=meta.get("retry_times", 0),
        retry_after=meta.get(RETRY_AFTER_META),
        probe=probe,
        previous_snapshot_id=due.snapshot_id,
        previous_hash=due.content_hash,
        lease=meta.get(LEASE_META),
    )


def _lease(request: Request | None) -> dict[str, Any]:
    """Return the meta that keeps a follow-up request on its source's lease (``citetrack worker``), if any."""
    lease = request.meta.get(LEASE_META) if request is not None else None
    return {LEASE_META: lease} if lease is not None else {}


def _document_link(html: str, url: str, outlet: Outlet | None) -> str | None:
    """Return the document a landing page stands for, by the outlet's rule or the generic one."""
    if not landing.may_link_document(html):
        return None
    page = Selector(text=html)
    return outlet.document_link(page, url) if outlet is not None else landing.document_link(page, url)


def _fetch_entry(response: Response) -> dict[str, Any]:
    """Return one fetch as the snapshot keeps it: URL, status, Content-Type, the hash of the body received, and
    the exchange behind it with the redirects that led there (``redirects``, when any)."""
    meta = response.request.meta if response.request is not None else {}
    exchange, hops = exchanges(meta)
    entry = {
        "url": response.url,
        "status": response.status,
        "content_type": _header(response, "content-type"),
        "sha256": hashlib.sha256(response.body).hexdigest(),
    }
    if exchange is not None:
        entry |= {key: exchange[key] for key in EXCHANGE_KEYS}
    return entry | ({"redirects": hops} if hops else {})


def _failed_fetch(request: Request, failure: str) -> dict[str, Any]:
    """Return a fetch that got no usable response, with the redirects it followed first."""
    _, hops = exchanges(request.meta)
    return {"url": request.url, "status": None, "failure": failure} | ({"redirects": hops} if hops else {})


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value is not None else None


def _origin(due: DueSource) -> str:
    parts = urlsplit(due.url)
    return f"{parts.scheme}://{parts.netloc}"
