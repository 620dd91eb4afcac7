"""The test server's shared state: the demo site's counters and archive, plus a log of the requests received."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

from crawler.demo.exchange import Request, SiteState

REQUEST_LOG_SIZE = 100_000  # ample for a test session; bounded so a long run cannot grow forever


class TestSiteState(SiteState):
    """The demo site's state plus a log of the requests received since the last reset."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self._requests: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_SIZE)

    def log(self, request: Request) -> None:
        """Remember a request for ``/__requests``."""
        entry = {"method": request.method, "path": request.path, "query": request.query, "headers": request.headers}
        with self._lock:
            self._requests.append(entry)

    def requests(self) -> list[dict[str, Any]]:
        """Return the logged requests, oldest first."""
        with self._lock:
            return list(self._requests)

    def reset(self) -> None:
        """Forget counters, logged requests and run-time archive captures."""
        super().reset()
        with self._lock:
            self._requests.clear()
