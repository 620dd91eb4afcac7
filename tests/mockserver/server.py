"""The test server: the demo site's server plus endpoints that misbehave on purpose, a request log and resets.

``python -m tests.mockserver.server --root DIR [--port N] [--host 127.0.0.x] [--catchall]`` prints the bound port
alone on its first stdout line, then serves until killed. Besides the demo's static files, ``/drift/{key}`` and
the fake Wayback API (``crawler.demo.server``), it serves:

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
``/drift-cosmetic/{key}``    the drifting article whose date stamp, view counter and menu change on every GET,
                             text unchanged (must not count as drift).
``/big/{megabytes}``         an HTML page of that size, streamed with Content-Length (``?chunked=1``: without).
``/gzip-bomb``               ``Content-Encoding: gzip`` body of ~64 KiB inflating to 64 MiB (``?megabytes=N``).
``/charset/{codec}``         ``samples.CHARSET_SAMPLES`` text encoded in codec (utf-8, utf-16, iso-8859-1,
                             iso-8859-15, windows-1252, windows-1251, koi8-r, shift_jis, euc-jp, gbk);
                             ``?header=NAME|none`` and ``?meta=NAME|none`` set each declaration (default: honest,
                             both), ``?bom=1`` prefixes a UTF-8 BOM. Unknown codec: 404.
``/catchall/{any}``          200 "Page not found" page (the same) for any path under the prefix: a soft 404.
                             With ``--catchall`` every unknown path answers so.
``/bot-wall[/{any}]``        403 "verify you are human" page, headers ``Server: demo-bot-shield`` and
                             ``Cf-Mitigated: challenge``, as bot-protection services answer.
``/image.png``               a 16×16 PNG (a source with no text).
``/__wayback/add?url=&timestamp=&file=[&status=]``  register an archive capture until the next reset.
``/__requests``              JSON list of requests since the last reset: ``{"method", "path", "query",
                             "headers"}`` (``/__`` paths are not logged; the last 100,000 are kept).
``/__reset``                 reset flaky/drift counters, the request log and registered captures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import ClassVar

from crawler.demo import server as demo
from crawler.demo.endpoints import ROUTES as DEMO_ROUTES
from crawler.demo.endpoints import Route
from crawler.demo.exchange import Reply, Request, SiteState
from tests.mockserver import endpoints
from tests.mockserver.state import TestSiteState


class TestSiteServer(demo.DemoServer):
    """The demo server with the test endpoints, a request log, and optionally a catch-all "not found" page."""

    routes: ClassVar[list[Route]] = DEMO_ROUTES + endpoints.ROUTES
    site_class: ClassVar[type[SiteState]] = TestSiteState
    site: TestSiteState

    def __init__(self, root: Path, port: int = 0, *, host: str = demo.HOST, catchall: bool = False) -> None:
        super().__init__(root, port, host=host)
        self.catchall = catchall

    @classmethod
    def add_options(cls, parser: argparse.ArgumentParser) -> list[str]:
        """Add ``--catchall``."""
        parser.add_argument("--catchall", action="store_true", help='answer unknown paths with a 200 "not found" page')
        return ["catchall"]

    def dispatch(self, request: Request) -> Reply:
        """Log the request (not ``/__`` control paths), then answer it as the demo server would."""
        if not request.path.startswith("/__"):
            self.site.log(request)
        return super().dispatch(request)

    def missing(self, request: Request) -> Reply:
        """Answer an unknown path with a 404, or with the site's 200 "not found" page when ``catchall``."""
        return endpoints.catchall(self.site, request) if self.catchall else super().missing(request)


if __name__ == "__main__":
    sys.exit(demo.main(server_class=TestSiteServer))
