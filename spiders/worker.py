"""The ``sources_worker`` spider: check the sources ``citetrack worker`` leases from the shared Redis queue."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from scrapy import Request

from crawler.items import ProbeFetch, SourceCheckItem
from crawler.middlewares.conditional import VALIDATORS_META
from spiders.sources import SourcesSpider, _header, _origin
from store.crawl import DueSource

if TYPE_CHECKING:
    from scrapy.http import Response
    from twisted.python.failure import Failure


class WorkerSourcesSpider(SourcesSpider):
    """The ``sources`` spider fed by the shared queue: it starts nothing itself (``LeaseScheduler`` pops requests).

    ``source_request`` builds the queued request of one source; the worker probes each host once, the first
    time one of its sources answers (the soft-404 baseline), and checks the source as ``sources`` does.
    """

    name = "sources_worker"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.probes: dict[str, asyncio.Task[ProbeFetch]] = {}

    async def start(self) -> AsyncIterator[Request]:
        """Start no request: the work comes from the shared queue."""
        return
        yield  # an async generator that yields nothing

    def source_request(self, due: DueSource) -> Request:
        """Return the request that checks ``due`` from the queue (the enqueuer adds its lease to ``meta``)."""
        return Request(
            due.url, callback=self.parse_queued, errback=self.queued_failed, dont_filter=True,
            meta={VALIDATORS_META: {"etag": due.etag, "last_modified": due.last_modified}},
            cb_kwargs={"due": due},
        )  # fmt: skip

    async def parse_queued(self, response: Response, due: DueSource) -> AsyncIterator[Request | SourceCheckItem]:
        """Probe the source's host once (shared by its pages), then check the source as ``sources`` does."""
        probe = await self._probe(_origin(due))
        for output in self.parse_source(response, due, probe):
            yield output

    def queued_failed(self, failure: Failure) -> SourceCheckItem:
        """Record a failed request; its host's probe is used if this worker has it already."""
        request = failure.request  # type: ignore[attr-defined]
        origin = _origin(request.cb_kwargs["due"])
        task = self.probes.get(origin)
        probe = task.result() if task is not None and task.done() else ProbeFetch(origin, origin)
        request.cb_kwargs["probe"] = probe
        return self.source_failed(failure)

    def _probe(self, origin: str) -> asyncio.Task[ProbeFetch]:
        if origin not in self.probes:
            self.probes[origin] = asyncio.ensure_future(self._fetch_probe(origin))
        return self.probes[origin]

    async def _fetch_probe(self, origin: str) -> ProbeFetch:
        """Fetch a path of ``origin`` that cannot exist, through the downloader middlewares (no baseline if it fails)."""
        request = Request(f"{origin}/citetrack-probe-{uuid.uuid4().hex}", dont_filter=True, meta={"max_retry_times": 0})
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception:  # a probe that fails gives no baseline, as in ``sources``
            return ProbeFetch(origin, request.url)
        return ProbeFetch(
            origin, request.url, response.status, response.url, _header(response, "content-type"), response.body
        )

