"""What a demo-site endpoint sees and returns: the request, the reply, and the site's shared state."""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.demo.static import load_redirects
from crawler.demo.wayback import Archive

HTML = "text/html; charset=utf-8"
REQUEST_LOG_SIZE = 100_000  # ample for a test session; bounded so a long demo run cannot grow forever


@dataclass(frozen=True)
class Request:
    """One parsed request: method, raw path (no query), first value of each query parameter, headers."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    base_url: str  # scheme and authority the client used, e.g. "http://127.0.0.1:8123"


@dataclass
class Reply:
    """A response to send; an iterable body is streamed (chunked unless ``length`` is given)."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    length: int | None = None
    etag: str | None = None
    last_modified: float | None = None  # POSIX time; with ``etag``, enables 304 answers


def html_reply(text: str, status: int = 200, **headers: str) -> Reply:
    """Return a UTF-8 HTML reply; keyword names become headers (``Retry_After`` → ``Retry-After``)."""
    extra = {name.replace("_", "-"): value for name, value in headers.items()}
    return Reply(status, text.encode("utf-8"), {"Content-Type": HTML, **extra})


class SiteState:
    """Counters, request log and fake archive shared by every request thread of one server."""

    def __init__(self, root: Path, *, catchall: bool = False) -> None:
        self.root = root.resolve()
        self.catchall = catchall
        self.redirects = load_redirects(self.root)
        self.archive = Archive(self.root)
        self._counters: Counter[str] = Counter()
        self._requests: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_SIZE)
        self._lock = threading.Lock()

    def bump(self, key: str) -> int:
        """Count one more hit of ``key`` and return the new count (1 on the first hit)."""
        with self._lock:
            self._counters[key] += 1
            return self._counters[key]

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
        with self._lock:
            self._counters.clear()
            self._requests.clear()
        self.archive.reset()
