"""A fake Wayback Machine: captures from ``wayback.json`` or registered at run time, and the availability JSON."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CONFIG_NAME = "wayback.json"
TIMESTAMP_DIGITS = 14


@dataclass(frozen=True)
class Capture:
    """One archived copy: the original URL (or a bare path, matching any host), when, and the file replayed."""

    url: str
    timestamp: str
    file: str
    status: str = "200"

    def matches(self, url: str) -> bool:
        """Return whether this capture is of ``url`` (scheme and trailing slash ignored)."""
        if self.url.startswith("/"):
            return _path_key(url) == _path_key(self.url)
        return _url_key(url) == _url_key(self.url)


class Archive:
    """The captures a demo server knows: those of the root's ``wayback.json`` plus run-time additions."""

    def __init__(self, root: Path) -> None:
        self._configured = _load(root / CONFIG_NAME)
        self._added: list[Capture] = []
        self._lock = threading.Lock()

    def add(self, capture: Capture) -> None:
        """Register a capture until the next reset."""
        with self._lock:
            self._added.append(capture)

    def reset(self) -> None:
        """Forget captures registered at run time."""
        with self._lock:
            self._added.clear()

    def closest(self, url: str, timestamp: str | None) -> Capture | None:
        """Return the capture of ``url`` closest in time to ``timestamp`` (the latest when none is given)."""
        with self._lock:
            captures = [capture for capture in self._configured + self._added if capture.matches(url)]
        if not captures:
            return None
        if not timestamp:
            return max(captures, key=lambda capture: capture.timestamp)
        wanted = _as_number(timestamp)
        return min(captures, key=lambda capture: (abs(_as_number(capture.timestamp) - wanted), capture.timestamp))

    def exact(self, url: str, timestamp: str) -> Capture | None:
        """Return the capture of ``url`` taken at exactly ``timestamp``, if any."""
        capture = self.closest(url, timestamp)
        return capture if capture and capture.timestamp == timestamp else None


def availability(url: str, timestamp: str | None, capture: Capture | None, base_url: str) -> dict[str, Any]:
    """Return the JSON document that archive.org/wayback/available answers for this lookup."""
    answer: dict[str, Any] = {"url": url, "archived_snapshots": {}}
    if capture is not None:
        answer["archived_snapshots"]["closest"] = {
            "status": capture.status,
            "available": True,
            "url": f"{base_url}/web/{capture.timestamp}/{url}",
            "timestamp": capture.timestamp,
        }
    if timestamp:
        answer["timestamp"] = timestamp
    return answer


def _load(path: Path) -> list[Capture]:
    """Read ``{"captures": [{"url", "timestamp", "file", "status"?}]}``; a missing file means no captures."""
    if not path.is_file():
        return []
    document = json.loads(path.read_text(encoding="utf-8"))
    return [Capture(**entry) for entry in document.get("captures", [])]


def _as_number(timestamp: str) -> int:
    """Return a 1–14 digit Wayback timestamp as a comparable number (missing digits count as zeros)."""
    digits = "".join(char for char in timestamp if char.isdigit())[:TIMESTAMP_DIGITS]
    return int(digits.ljust(TIMESTAMP_DIGITS, "0") or "0")


def _url_key(url: str) -> str:
    """Return ``url`` without scheme or trailing slash, lower-cased host, for comparison."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}{query}"


def _path_key(url: str) -> str:
    """Return the path and query of ``url`` (or of a bare path) without trailing slash."""
    key = _url_key(url) if not url.startswith("/") else url.rstrip("/")
    return key[key.find("/") :] if "/" in key else ""
