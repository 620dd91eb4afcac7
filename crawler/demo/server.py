"""The demo's local web site: static files, a news page that drifts after its first read, a fake Wayback API.

Threaded HTTP/1.1 (keep-alive) on a loopback address only (127.0.0.1 unless ``host=`` names another).
``run_server(root, port=0)`` returns ``(server, thread)``; ``python -m crawler.demo.server --root DIR [--port N]
[--host 127.0.0.x]`` prints the bound port alone on its first stdout line, then serves until killed. Every
endpoint answers GET and HEAD. The test server (``tests/mockserver``) adds endpoints that misbehave on purpose.

Static files (any path not listed below)
  ``/path`` serves ``ROOT/path`` (``index.html`` for a folder). Content-Type from the extension, text types
  with ``charset=utf-8``; ETag and Last-Modified on every file; ``If-None-Match`` / ``If-Modified-Since``
  answered with 304. A sidecar ``NAME.headers`` ("Header: value" lines, ``Status: 401`` sets the status)
  overrides headers, e.g. a charset declaration. ``ROOT/_redirects.json`` (``{"/old": {"to": "/new",
  "status": 301}}``) adds fixed redirects. A missing file is a 404.
``/drift/{key}``             an article citing the NTIA conclusion; after the first GET for ``key``
                             (``?after=N``: after N) the supporting passage is replaced by a contrary one.
                             ETag follows the content. Texts: ``samples.DRIFT_SUPPORTED`` / ``DRIFT_REPLACED``.
``/wayback/available?url=U&timestamp=T``  the JSON of archive.org/wayback/available:
                             ``{"url", "archived_snapshots": {"closest": {"status", "available", "url",
                             "timestamp"}}, "timestamp"}`` (``archived_snapshots`` empty when nothing is
                             archived). Captures come from ``ROOT/wayback.json`` (``{"captures": [{"url",
                             "timestamp", "file", "status"?}]}``; a ``url`` that starts with ``/`` matches
                             that path on any host); the closest in time wins.
``/web/{timestamp}/{url}``   replays the capture's file with its archived status (404 if none).
Bad parameters answer 400.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
import threading
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qsl, unquote

from crawler.demo import samples
from crawler.demo.endpoints import ROUTES, Route
from crawler.demo.exchange import Reply, Request, SiteState, html_reply
from crawler.demo.static import find_file

HOST = "127.0.0.1"


class DemoServer(ThreadingHTTPServer):
    """The demo site's HTTP server; ``site`` holds its counters and archive, ``routes`` its endpoints."""

    daemon_threads = True
    request_queue_size = 256  # benchmarks open many connections at once
    routes: ClassVar[list[Route]] = ROUTES
    site_class: ClassVar[type[SiteState]] = SiteState

    def __init__(self, root: Path, port: int = 0, *, host: str = HOST) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"the demo server only binds loopback addresses, not {host}")
        self.site = self.site_class(root)
        super().__init__((host, port), DemoHandler)

    @classmethod
    def add_options(cls, parser: argparse.ArgumentParser) -> list[str]:
        """Add the server's own command-line options to ``parser``; return their names (the demo has none)."""
        return []

    def dispatch(self, request: Request) -> Reply:
        """Return the reply of the endpoint, fixed redirect or static file that ``request.path`` names."""
        for pattern, endpoint in self.routes:
            match = pattern.fullmatch(request.path)
            if match:
                return endpoint(self.site, request, *match.groups())
        if request.path in self.site.redirects:
            target, code = self.site.redirects[request.path]
            return html_reply(samples.page("Moved", [f"This page moved to {target}."]), code, Location=target)
        found = find_file(self.site.root, unquote(request.path))
        if found is None:
            return self.missing(request)
        stat = found.path.stat()
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        return Reply(found.status, found.path.read_bytes(), found.headers, etag=etag, last_modified=stat.st_mtime)

    def missing(self, request: Request) -> Reply:
        """Return the answer for a path with no endpoint and no file: a 404 page."""
        return html_reply(samples.page("404 Not Found", ["There is no page at this address."]), 404)

    @property
    def port(self) -> int:
        """The bound TCP port."""
        return int(self.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT``, without trailing slash."""
        return f"http://{self.server_address[0]}:{self.port}"


class DemoHandler(BaseHTTPRequestHandler):
    """Routes each request to an endpoint, a fixed redirect or a static file."""

    protocol_version = "HTTP/1.1"
    server_version = "citetrack-demo/1.0"
    disable_nagle_algorithm = True  # headers and body are separate writes: avoid the 40 ms delayed-ACK stall
    server: DemoServer

    def do_GET(self) -> None:
        """Serve a GET."""
        self._serve()

    def do_HEAD(self) -> None:
        """Serve a HEAD: the GET's status and headers, no body."""
        self._serve()

    def version_string(self) -> str:
        """Return the Server header: the reply's own (a bot wall names its service) or ours."""
        return getattr(self, "_server_header", None) or super().version_string()

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: tests read ``/__requests`` instead of a log."""

    def _serve(self) -> None:
        """Answer one request."""
        request = self._request()
        try:
            reply = self.server.dispatch(request)
        except (KeyError, ValueError) as error:
            reply = html_reply(samples.page("Bad request", [f"Bad or missing parameter: {error}"]), 400)
        try:
            self._send(reply, request)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (size cap, timeout)

    def _request(self) -> Request:
        """Parse the request line and headers."""
        raw_path, _, raw_query = self.path.partition("?")
        if raw_path.startswith("/web/"):  # the archived URL keeps its own query string
            raw_path, raw_query = self.path, ""
        query = dict(reversed(parse_qsl(raw_query, keep_blank_values=True)))  # first value wins
        base_url = f"http://{self.headers['Host']}" if self.headers.get("Host") else self.server.base_url
        return Request(self.command, raw_path, query, dict(self.headers.items()), base_url)

    def _send(self, reply: Reply, request: Request) -> None:
        """Write ``reply``: a 304 when the client's validators match, chunked when the length is unknown."""
        if reply.status == 200 and _not_modified(reply, request.headers):
            reply = Reply(304, b"", {}, etag=reply.etag, last_modified=reply.last_modified)
        headers = dict(reply.headers)
        self._server_header = headers.pop("Server", None)
        self.send_response(reply.status)
        for name, value in headers.items():
            self.send_header(name, value)
        if reply.etag:
            self.send_header("ETag", reply.etag)
        if reply.last_modified is not None:
            self.send_header("Last-Modified", formatdate(reply.last_modified, usegmt=True))
        length = len(reply.body) if isinstance(reply.body, bytes) else reply.length
        chunked = length is None and reply.status not in (204, 304)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif reply.status not in (204, 304):
            self.send_header("Content-Length", str(length))
        self.end_headers()
        if request.method == "HEAD" or reply.status in (204, 304):
            return
        for chunk in [reply.body] if isinstance(reply.body, bytes) else reply.body:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")


def run_server(root: Path, port: int = 0, *, host: str = HOST) -> tuple[DemoServer, threading.Thread]:
    """Start serving ``root`` in a daemon thread; stop with ``server.shutdown(); server.server_close()``."""
    server = DemoServer(root, port, host=host)
    thread = threading.Thread(target=server.serve_forever, name=f"demo-server-{server.port}", daemon=True)
    thread.start()
    return server, thread


def main(argv: list[str] | None = None, server_class: type[DemoServer] = DemoServer) -> int:
    """Serve a directory until interrupted; the first stdout line is the bound port."""
    parser = argparse.ArgumentParser(description=(server_class.__doc__ or "").splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="directory of static files to serve")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--host", default=HOST, help="loopback address to bind (default 127.0.0.1)")
    options = server_class.add_options(parser)
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.error(f"--root {args.root} is not a directory")
    try:
        server = server_class(args.root, args.port, host=args.host, **{name: getattr(args, name) for name in options})
    except ValueError as error:
        parser.error(str(error))
    print(server.port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _not_modified(reply: Reply, headers: dict[str, str]) -> bool:
    """Return whether the request's validators show the client already has this representation."""
    lowered = {name.lower(): value for name, value in headers.items()}
    if reply.etag and "if-none-match" in lowered:
        tags = {tag.strip().removeprefix("W/") for tag in lowered["if-none-match"].split(",")}
        return reply.etag in tags or "*" in tags
    if reply.last_modified is None or "if-modified-since" not in lowered:
        return False
    try:
        since = parsedate_to_datetime(lowered["if-modified-since"]).timestamp()
    except (TypeError, ValueError):
        return False
    return int(reply.last_modified) <= since


if __name__ == "__main__":
    sys.exit(main())
