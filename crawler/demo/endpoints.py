"""The demo site's endpoints: a news page that changes after its first read, and a fake Wayback Machine."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable

from crawler.demo import samples
from crawler.demo.exchange import Reply, Request, SiteState, html_reply
from crawler.demo.static import find_file
from crawler.demo.wayback import availability

Endpoint = Callable[..., Reply]
Route = tuple[re.Pattern[str], Endpoint]


def drift(site: SiteState, request: Request, key: str) -> Reply:
    """Serve the article; after ``?after=`` GETs (default 1) its supporting passage is replaced."""
    count = site.bump(f"drift:{key}") if request.method == "GET" else 1
    return validated(samples.drift_page(count > int(request.query.get("after", "1"))))


def wayback_available(site: SiteState, request: Request) -> Reply:
    """Answer like archive.org/wayback/available for ``?url=`` and ``?timestamp=``."""
    url, timestamp = request.query.get("url", ""), request.query.get("timestamp")
    answer = availability(url, timestamp, site.archive.closest(url, timestamp), request.base_url)
    return json_reply(answer)


def wayback_replay(site: SiteState, request: Request, timestamp: str, url: str) -> Reply:
    """Replay the archived copy of ``url`` taken at ``timestamp``, with its archived status."""
    capture = site.archive.exact(url, timestamp)
    found = find_file(site.root, capture.file) if capture else None
    if capture is None or found is None:
        return html_reply(samples.page("Not in archive", [f"No capture of {url} at {timestamp}."]), 404)
    return Reply(int(capture.status), found.path.read_bytes(), found.headers)


def json_reply(document: object) -> Reply:
    """Return a JSON reply."""
    return Reply(200, json.dumps(document).encode("utf-8"), {"Content-Type": "application/json"})


def validated(text: str) -> Reply:
    """Return an HTML reply whose ETag follows its content (so a changed page fails If-None-Match)."""
    reply = html_reply(text)
    reply.etag = '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20] + '"'
    return reply


def compiled(routes: list[tuple[str, Endpoint]]) -> list[Route]:
    """Return ``(pattern, endpoint)`` pairs with each pattern compiled (a path must match it whole)."""
    return [(re.compile(pattern), endpoint) for pattern, endpoint in routes]


ROUTES = compiled(
    [
        (r"/drift/([^/]+)", drift),
        (r"/wayback/available", wayback_available),
        (r"/web/(\d{1,14})(?:[a-z]{2}_)?/(.+)", wayback_replay),
    ]
)
