"""Hostile endpoints for reliability tests, served from a thread on 127.0.0.1 with raw sockets.

``/flip/{key}``       an HTML page that alternates between two versions on each GET (A, B, A, …).
``/trickle-headers``  the status line, then one header byte every 0.5 s (for up to ``TRICKLE_LIMIT`` s).
``/trickle-body``     headers with a Content-Length of 100 kB, then one body byte every 0.5 s.
``/stall``            accepts, reads the request, never answers (until ``TRICKLE_LIMIT``).
Any path registered with ``add(path, body, headers, status)`` answers those exact bytes, so a test can send
what a polite server would refuse to: NUL bytes in a header or a text body, an encrypted PDF, odd JSON.
"""

from __future__ import annotations

import socketserver
import threading
import time
from collections import Counter
from types import TracebackType
from typing import Self

TRICKLE_LIMIT = 60.0
FLIP_PAGES = (
    "<html><head><title>Flip</title></head><body><article><h1>Council budget</h1>"
    "<p>The council approved the budget of 4.2 million euros after a long debate on Tuesday evening.</p>"
    "<p>Opposition members said the spending on roads was too high and asked for a recount.</p></article></body></html>",
    "<html><head><title>Flip</title></head><body><article><h1>Council budget</h1>"
    "<p>The council postponed the budget vote to next month after the session ran out of time.</p>"
    "<p>Members will meet again in two weeks to continue the discussion of road spending.</p></article></body></html>",
)


class HostileServer:
    """A threaded raw-socket HTTP server: ``url(path)``, ``add(...)``, ``hits(path)``."""

    def __init__(self) -> None:
        self.canned: dict[str, tuple[int, list[tuple[str, str]], bytes]] = {}
        self.counts: Counter[str] = Counter()
        self.stopping = threading.Event()
        self._server: socketserver.ThreadingTCPServer | None = None

    def __enter__(self) -> Self:
        """Start serving in a daemon thread."""
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                owner._handle(self)

        socketserver.ThreadingTCPServer.daemon_threads = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Stop trickling and serving."""
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def url(self, path: str) -> str:
        """Return the absolute URL of ``path`` on this server."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def add(self, path: str, body: bytes, headers: list[tuple[str, str]], status: int = 200) -> str:
        """Answer GETs of ``path`` with exactly this status, these headers and this body; return its URL."""
        self.canned[path] = (status, headers, body)
        return self.url(path)

    def hits(self, path: str) -> int:
        """Return how many GETs of ``path`` arrived."""
        return self.counts[path]

    def _handle(self, handler: socketserver.StreamRequestHandler) -> None:
        request_line = handler.rfile.readline(65536).decode("latin-1")
        while handler.rfile.readline(65536) not in (b"\r\n", b"\n", b""):
            pass
        method, _, rest = request_line.partition(" ")
        path = rest.split(" ", 1)[0].split("?", 1)[0]
        if method == "GET":
            self.counts[path] += 1
        out = handler.wfile
        if path in self.canned:
            status, headers, body = self.canned[path]
            _send(out, status, [*headers, ("Content-Length", str(len(body)))], body if method == "GET" else b"")
        elif path.startswith("/flip/"):
            page = FLIP_PAGES[(self.counts[path] - 1) % 2].encode()
            _send(out, 200, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))], page)
        elif path == "/trickle-headers":
            out.write(b"HTTP/1.1 200 OK\r\n")
            self._trickle(out, b"X-Slow: " + b"a" * 10_000)
        elif path == "/trickle-body":
            out.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n")
            self._trickle(out, b"b" * 100_000)
        elif path == "/stall":
            self.stopping.wait(TRICKLE_LIMIT)
        else:
            _send(out, 404, [("Content-Type", "text/plain"), ("Content-Length", "9")], b"not found")

    def _trickle(self, out: object, data: bytes) -> None:
        started = time.monotonic()
        for byte in data:
            if self.stopping.wait(0.5) or time.monotonic() - started > TRICKLE_LIMIT:
                return
            try:
                out.write(bytes([byte]))  # type: ignore[attr-defined]
                out.flush()  # type: ignore[attr-defined]
            except OSError:
                return


def _send(out: object, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
    head = f"HTTP/1.1 {status} X\r\n".encode() + b"".join(
        f"{name}: {value}\r\n".encode("latin-1") for name, value in [*headers, ("Connection", "close")]
    )
    try:
        out.write(head + b"\r\n" + body)  # type: ignore[attr-defined]
    except OSError:
        pass
