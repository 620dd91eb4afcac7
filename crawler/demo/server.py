"""A local web site for tests, the demo and benchmarks: static files plus endpoints that misbehave on purpose.

Threaded HTTP/1.1 (keep-alive) on a loopback address only (127.0.0.1 unless ``host=`` names another, e.g.
127.0.0.2 for a second "host"). ``run_server(root, port=0)`` returns ``(server, thread)``;
``python -m crawler.demo.server --root DIR [--port N] [--host 127.0.0.x] [--catchall]`` prints the bound
port alone on its first stdout line, then serves until killed. Every endpoint answers GET and HEAD.

Static files (any path not listed below)
  ``/path`` serves ``ROOT/path`` (``index.html`` for a folder). Content-Type from the extension, text types
  with ``charset=utf-8``; ETag and Last-Modified on every file; ``If-None-Match`` / ``If-Modified-Since``
  answered with 304. A sidecar ``NAME.headers`` ("Header: value" lines, ``Status: 401`` sets the status)
  overrides headers, e.g. a charset declaration. ``ROOT/_redirects.json`` (``{"/old": {"to": "/new",
  "status": 301}}``) adds fixed redirects. A missing file is a real 404, or, with ``--catchall``
  (``catchall=True``), a 200 "page not found" page on every unknown path.
``/nocache/{path}``          the same static file with no validators, always 200 with the same body.
``/status/{code}``           that status with a small HTML page; ``?retry_after=N`` adds Retry-After,
                             a 3xx code redirects to ``?to=`` (default ``/``).
``/redirect?to=URL``         302 (or ``&status=301|303|307|308``) to URL, absolute (another host) or relative.
``/redirect-permanent?to=``  301 to URL.
``/redirect/{n}``            chain of n 302 hops: ``/redirect/n`` → ``/redirect/n-1`` … ``/redirect/0`` (200);
                             with ``?to=URL`` the last hop goes to URL instead.
``/redirect-home/{any}``     302 to ``/`` for any path under the prefix (a removed page sent to the home page).
``/loop/a``, ``/loop/b``     redirect to each other forever.
``/delay/{seconds}``         200 after sleeping that long (at most 60 s).
``/flaky/{key}/{n}``         the first n requests for ``key`` answer 503 (``?status=429`` etc.) with
                             ``Retry-After: 1`` (``?retry_after=N``, ``none`` omits it); later ones 200.
``/drift/{key}``             an article citing the NTIA conclusion; after the first GET for ``key``
                             (``?after=N``: after N) the supporting passage is replaced by a contrary one.
                             ETag follows the content. Texts: ``samples.DRIFT_SUPPORTED`` / ``DRIFT_REPLACED``.
``/drift-cosmetic/{key}``    the same article whose date stamp, view counter and menu change on every GET,
                             text unchanged (must not count as drift).
``/big/{megabytes}``         an HTML page of that size, streamed with Content-Length (``?chunked=1``: without).
``/gzip-bomb``               ``Content-Encoding: gzip`` body of ~64 KiB inflating to 64 MiB (``?megabytes=N``).
``/charset/{codec}``         ``samples.CHARSET_SAMPLES`` text encoded in codec (utf-8, utf-16, iso-8859-1,
                             iso-8859-15, windows-1252, windows-1251, koi8-r, shift_jis, euc-jp, gbk);
                             ``?header=NAME|none`` and ``?meta=NAME|none`` set each declaration (default: honest,
                             both), ``?bom=1`` prefixes a UTF-8 BOM. Unknown codec: 404.
``/catchall/{any}``          200 "Page not found" page (the same) for any path under the prefix: a soft 404.
``/bot-wall[/{any}]``        403 "verify you are human" page, headers ``Server: demo-bot-shield`` and
                             ``Cf-Mitigated: challenge``, as bot-protection services answer.
``/image.png``               a 16×16 PNG (a source with no text).
``/robots.txt``              a static file of the root (the fixture site disallows ``/private/``).
``/wayback/available?url=U&timestamp=T``  the JSON of archive.org/wayback/available:
                             ``{"url", "archived_snapshots": {"closest": {"status", "available", "url",
                             "timestamp"}}, "timestamp"}`` (``archived_snapshots`` empty when nothing is
                             archived). Captures come from ``ROOT/wayback.json`` (``{"captures": [{"url",
                             "timestamp", "file", "status"?}]}``; a ``url`` that starts with ``/`` matches
                             that path on any host) or from ``/__wayback/add``; the closest in time wins.
``/web/{timestamp}/{url}``   replays the capture's file with its archived status (404 if none).
``/__wayback/add?url=&timestamp=&file=[&status=]``  register a capture until the next reset.
``/__requests``              JSON list of requests since the last reset: ``{"method", "path", "query",
                             "headers"}`` (``/__`` paths are not logged; the last 100,000 are kept).
``/__reset``                 reset flaky/drift counters, the request log and registered captures.
Bad parameters (e.g. ``/__wayback/add`` without ``url``) answer 400.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
import threading
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote

from crawler.demo import samples
from crawler.demo.endpoints import ROUTES, catchall
from crawler.demo.exchange import Reply, Request, SiteState, html_reply
from crawler.demo.static import find_file

HOST = "127.0.0.1"


class DemoServer(ThreadingHTTPServer):
    """The demo site's HTTP server; ``site`` holds its counters, request log and archive."""

    daemon_threads = True
    request_queue_size = 256  # benchmarks open many connections at once

    def __init__(self, root: Path, port: int = 0, *, host: str = HOST, catchall: bool = False) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"the demo server only binds loopback addresses, not {host}")
        self.site = SiteState(root, catchall=catchall)
        super().__init__((host, port), DemoHandler)

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
        if not request.path.startswith("/__"):
            self.server.site.log(request)
        try:
            reply = dispatch(self.server.site, request)
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


def dispatch(site: SiteState, request: Request) -> Reply:
    """Return the reply of the endpoint, fixed redirect or static file that ``request.path`` names."""
    for pattern, endpoint in ROUTES:
        match = pattern.fullmatch(request.path)
        if match:
            return endpoint(site, request, *match.groups())
    if request.path in site.redirects:
        target, code = site.redirects[request.path]
        return html_reply(samples.page("Moved", [f"This page moved to {target}."]), code, Location=target)
    found = find_file(site.root, unquote(request.path))
    if found is not None:
        stat = found.path.stat()
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        return Reply(found.status, found.path.read_bytes(), found.headers, etag=etag, last_modified=stat.st_mtime)
    if site.catchall:
        return catchall(site, request)
    return html_reply(samples.page("404 Not Found", ["There is no page at this address."]), 404)


def run_server(
    root: Path, port: int = 0, *, host: str = HOST, catchall: bool = False
) -> tuple[DemoServer, threading.Thread]:
    """Start serving ``root`` in a daemon thread; stop with ``server.shutdown(); server.server_close()``."""
    server = DemoServer(root, port, host=host, catchall=catchall)
    thread = threading.Thread(target=server.serve_forever, name=f"demo-server-{server.port}", daemon=True)
    thread.start()
    return server, thread


def main(argv: list[str] | None = None) -> int:
    """Serve a directory until interrupted; the first stdout line is the bound port."""
    parser = argparse.ArgumentParser(prog="python -m crawler.demo.server", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="directory of static files to serve")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--host", default=HOST, help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--catchall", action="store_true", help='answer unknown paths with a 200 "not found" page')
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.error(f"--root {args.root} is not a directory")
    try:
        server = DemoServer(args.root, args.port, host=args.host, catchall=args.catchall)
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
