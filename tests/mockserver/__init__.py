"""The fixture site served by ``tests.mockserver.server`` in a subprocess, as Scrapy's tests run their server."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlencode
from urllib.request import urlopen

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "tests" / "fixtures" / "site"
START_TIMEOUT = 10.0

__all__ = ["SITE", "MockServer", "Response"]
Response = tuple[int, http.client.HTTPMessage, bytes]


class MockServer:
    """A running demo server: ``url(path)``, ``reset()``, ``requests()``, ``hits(path)``, ``add_capture(...)``."""

    def __init__(self, root: Path = SITE, *, host: str = "127.0.0.1", catchall: bool = False) -> None:
        self.root = root
        self.host = host
        self.catchall = catchall
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        """Start the server and wait for the port it bound."""
        command = [sys.executable, "-m", "tests.mockserver.server", "--root", str(self.root), "--host", self.host]
        if self.catchall:
            command.append("--catchall")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        self._process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert self._process.stdout is not None
        first_line = self._process.stdout.readline()
        if not first_line.strip().isdigit():
            self.__exit__(None, None, None)
            raise RuntimeError(f"demo server did not start: {first_line!r}")
        self.port = int(first_line)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Stop the server process."""
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for stream in (self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()
        self._process = None

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` without trailing slash."""
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        """Return the absolute URL of ``path`` (which starts with ``/``) on this server."""
        return self.base_url + path

    def reset(self) -> None:
        """Reset flaky/drift counters, the request log and registered archive captures."""
        self._get_json("/__reset")

    def requests(self) -> list[dict[str, Any]]:
        """Return the requests received since the last reset (``method``, ``path``, ``query``, ``headers``)."""
        return list(self._get_json("/__requests"))

    def hits(self, path: str) -> int:
        """Return how many requests for ``path`` (no query) arrived since the last reset."""
        return sum(1 for request in self.requests() if request["path"] == path)

    def raw(self, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> Response:
        """Send one request without following redirects; return status, headers and (de-chunked) body."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def add_capture(self, url: str, timestamp: str, file: str, status: str = "200") -> None:
        """Register an archived copy of ``url`` for the fake Wayback API, until the next reset."""
        query = urlencode({"url": url, "timestamp": timestamp, "file": file, "status": status})
        self._get_json(f"/__wayback/add?{query}")

    def _get_json(self, path: str) -> Any:
        """GET ``path`` and decode its JSON body."""
        with urlopen(self.url(path), timeout=START_TIMEOUT) as response:
            return json.loads(response.read())
