"""What a demo-site endpoint sees and returns: the request, the reply, and the site's shared state."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from crawler.demo.static import load_redirects
from crawler.demo.wayback import Archive

HTML = "text/html; charset=utf-8"


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
    """Counters and the fake archive shared by every request thread of one server."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.redirects = load_redirects(self.root)
        self.archive = Archive(self.root)
        self._counters: Counter[str] = Counter()
        self._lock = threading.Lock()

    def bump(self, key: str) -> int:
        """Count one more hit of ``key`` and return the new count (1 on the first hit)."""
        with self._lock:
            self._counters[key] += 1
            return self._counters[key]

    def reset(self) -> None:
        """Forget counters and run-time archive captures."""
        with self._lock:
            self._counters.clear()
        self.archive.reset()
