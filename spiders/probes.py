"""One soft-404 probe per host and crawl: a host's sources wait for its answer, later ones reuse it."""

from __future__ import annotations

from crawler.items import ProbeFetch
from store.crawl import DueSource


class HostProbes:
    """The probes of one crawl, by origin (``scheme://host:port``): answered ones, and the sources waiting on the rest.

    Every answer is kept for the crawl (one small record per host; the spider keeps a body only for a 2xx answer).
    """

    def __init__(self) -> None:
        self.answers: dict[str, ProbeFetch] = {}
        self.waiting: dict[str, list[DueSource]] = {}

    def answer_of(self, origin: str) -> ProbeFetch | None:
        """Return the origin's probe answer, None while it has none."""
        return self.answers.get(origin)

    def wait(self, origin: str, source: DueSource) -> bool:
        """Queue ``source`` until the origin's probe answers; return True when that probe is still to be sent."""
        queue = self.waiting.get(origin)
        if queue is not None:
            queue.append(source)
            return False
        self.waiting[origin] = [source]
        return True

    def answered(self, origin: str, probe: ProbeFetch) -> list[DueSource]:
        """Keep the origin's answer; return the sources that waited for it."""
        self.answers[origin] = probe
        return self.waiting.pop(origin, [])
