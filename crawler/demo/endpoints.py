"""Parametric endpoints of the demo site (see ``crawler.demo.server`` for the list and their behaviour)."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator
from http import HTTPStatus
from urllib.parse import urlencode

from crawler.demo import samples
from crawler.demo.exchange import Reply, Request, SiteState, html_reply
from crawler.demo.static import find_file
from crawler.demo.wayback import Capture, availability

MAX_DELAY = 60.0
STREAM_CHUNK = 64 * 1024
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
Endpoint = Callable[..., Reply]


def status(site: SiteState, request: Request, code: str) -> Reply:
    """Answer with status ``code``; ``?retry_after=N`` adds a Retry-After header."""
    number = int(code)
    phrase = HTTPStatus(number).phrase if number in HTTPStatus._value2member_map_ else "Status"
    headers = {"Retry-After": request.query["retry_after"]} if "retry_after" in request.query else {}
    if number in REDIRECT_STATUSES:
        headers["Location"] = request.query.get("to", "/")
    reply = html_reply(samples.page(f"{number} {phrase}", [f"The server answered {number} {phrase}."]), number)
    reply.headers.update(headers)
    if number in (204, 304):
        reply.body = b""
    return reply


def redirect(site: SiteState, request: Request) -> Reply:
    """Redirect to ``?to=`` (absolute or relative) with ``?status=`` (302 by default)."""
    code = int(request.query.get("status", "302"))
    return _redirect(request.query.get("to", "/"), code if code in REDIRECT_STATUSES else 302)


def redirect_permanent(site: SiteState, request: Request) -> Reply:
    """Redirect permanently (301) to ``?to=``."""
    return _redirect(request.query.get("to", "/"), 301)


def redirect_chain(site: SiteState, request: Request, hops: str) -> Reply:
    """Redirect ``n`` times (``/redirect/n`` → ``/redirect/n-1``), then go to ``?to=`` or answer 200."""
    remaining = int(hops)
    if remaining == 0:
        return html_reply(samples.page("End of the redirect chain", ["You followed every hop of the chain."]))
    if remaining == 1 and "to" in request.query:
        return _redirect(request.query["to"], 302)
    query = f"?{urlencode(request.query)}" if request.query else ""
    return _redirect(f"/redirect/{remaining - 1}{query}", 302)


def redirect_home(site: SiteState, request: Request, rest: str | None = None) -> Reply:
    """Redirect any path under the prefix to the home page, as sites do for pages they removed."""
    return _redirect("/", 302)


def loop(site: SiteState, request: Request, side: str) -> Reply:
    """Redirect ``/loop/a`` to ``/loop/b`` and back, forever."""
    return _redirect("/loop/b" if side == "a" else "/loop/a", 302)


def delay(site: SiteState, request: Request, seconds: str) -> Reply:
    """Answer after ``seconds`` (at most 60): a page slower than a short download timeout."""
    time.sleep(min(float(seconds), MAX_DELAY))
    return html_reply(samples.page("A slow page", [f"This page took {seconds} seconds to answer."]))


def flaky(site: SiteState, request: Request, key: str, failures: str) -> Reply:
    """Fail ``failures`` times for ``key`` (503, or ``?status=``; Retry-After ``?retry_after=``, default 1)."""
    if site.bump(f"flaky:{key}") > int(failures):
        return html_reply(samples.drift_page(False))
    code = int(request.query.get("status", "503"))
    retry_after = request.query.get("retry_after", "1")
    reply = html_reply(samples.page("Service unavailable", ["Please try again later."]), code)
    if retry_after != "none":
        reply.headers["Retry-After"] = retry_after
    return reply


def drift(site: SiteState, request: Request, key: str) -> Reply:
    """Serve the article; after ``?after=`` GETs (default 1) its supporting passage is replaced."""
    count = site.bump(f"drift:{key}") if request.method == "GET" else 1
    return _validated(samples.drift_page(count > int(request.query.get("after", "1"))))


def drift_cosmetic(site: SiteState, request: Request, key: str) -> Reply:
    """Serve the article with a date stamp, view counter and menu that change on every GET; text unchanged."""
    count = site.bump(f"drift-cosmetic:{key}") if request.method == "GET" else 1
    return _validated(samples.drift_page(False, count, cosmetic=True))


def big(site: SiteState, request: Request, megabytes: str) -> Reply:
    """Stream an HTML page of ``megabytes`` MiB; ``?chunked=1`` omits Content-Length."""
    size = int(float(megabytes) * 1024 * 1024)
    length = None if request.query.get("chunked") == "1" else size
    return Reply(200, _filler(size), {"Content-Type": "text/html; charset=utf-8"}, length=length)


def gzip_bomb(site: SiteState, request: Request) -> Reply:
    """Send a small gzip body that inflates to ``?megabytes=`` MiB (64 by default)."""
    body = samples.gzip_bomb(int(request.query.get("megabytes", "64")))
    return Reply(200, body, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})


def charset(site: SiteState, request: Request, codec: str) -> Reply:
    """Serve the sample in ``codec``; ``?header=``/``?meta=`` declare charsets (``none`` omits), ``?bom=1``."""
    if codec not in samples.CHARSETS:
        return html_reply(samples.page("Unknown charset", [f"No sample for {codec}."]), 404)
    header, meta = request.query.get("header", codec), request.query.get("meta", codec)
    body = samples.charset_page(codec, None if meta == "none" else meta).encode(codec)
    if request.query.get("bom") == "1" and codec == "utf-8":
        body = b"\xef\xbb\xbf" + body
    return Reply(200, body, {"Content-Type": "text/html" + ("" if header == "none" else f"; charset={header}")})


def catchall(site: SiteState, request: Request, rest: str | None = None) -> Reply:
    """Answer 200 with the site's "page not found" page for any path under the prefix (a soft 404)."""
    return html_reply(samples.soft_404_page())


def bot_wall(site: SiteState, request: Request, rest: str | None = None) -> Reply:
    """Answer 403 with a bot-protection challenge page."""
    return html_reply(samples.bot_wall_page(), 403, Server="demo-bot-shield", Cf_Mitigated="challenge")


def image(site: SiteState, request: Request) -> Reply:
    """Serve a PNG image: a source with no text."""
    return Reply(200, samples.png_image(), {"Content-Type": "image/png"})


def nocache(site: SiteState, request: Request, path: str) -> Reply:
    """Serve a static file without ETag/Last-Modified, ignoring conditional headers (same body, 200)."""
    found = find_file(site.root, path)
    if found is None:
        return html_reply(samples.page("Not found", ["No such file."]), 404)
    return Reply(found.status, found.path.read_bytes(), {**found.headers, "Cache-Control": "no-store"})


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


def wayback_add(site: SiteState, request: Request) -> Reply:
    """Register a capture: ``?url=&timestamp=&file=`` (a path under the root) and optional ``&status=``."""
    query = request.query
    capture = Capture(query["url"], query["timestamp"], query["file"], query.get("status", "200"))
    site.archive.add(capture)
    return json_reply({"added": capture.__dict__})


def reset(site: SiteState, request: Request) -> Reply:
    """Reset hit counters (flaky, drift), the request log and run-time archive captures."""
    site.reset()
    return json_reply({"reset": True})


def requests_log(site: SiteState, request: Request) -> Reply:
    """List the requests received since the last reset: method, path, query, headers."""
    return json_reply(site.requests())


def json_reply(document: object) -> Reply:
    """Return a JSON reply."""
    return Reply(200, json.dumps(document).encode("utf-8"), {"Content-Type": "application/json"})


def _redirect(location: str, code: int) -> Reply:
    """Return a redirect to ``location`` with a short HTML body."""
    return html_reply(samples.page("Moved", [f"This page moved to {location}."]), code, Location=location)


def _validated(text: str) -> Reply:
    """Return an HTML reply whose ETag follows its content (so a changed page fails If-None-Match)."""
    reply = html_reply(text)
    reply.etag = '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20] + '"'
    return reply


def _filler(size: int) -> Iterator[bytes]:
    """Yield exactly ``size`` bytes of HTML, a chunk at a time."""
    head = b'<!DOCTYPE html><html><head><meta charset="utf-8"><title>A huge page</title></head><body>'
    block = samples.filler_block() * (STREAM_CHUNK // len(samples.filler_block()) + 1)
    yield head[:size]
    sent = min(len(head), size)
    while sent < size:
        chunk = block[: min(STREAM_CHUNK, size - sent)]
        yield chunk
        sent += len(chunk)


ROUTES: list[tuple[re.Pattern[str], Endpoint]] = [
    (re.compile(pattern), endpoint)
    for pattern, endpoint in [
        (r"/status/(\d{3})", status),
        (r"/redirect", redirect),
        (r"/redirect/(\d+)", redirect_chain),
        (r"/redirect-permanent", redirect_permanent),
        (r"/redirect-home(/.*)?", redirect_home),
        (r"/loop/(a|b)", loop),
        (r"/delay/(\d+(?:\.\d+)?)", delay),
        (r"/flaky/([^/]+)/(\d+)", flaky),
        (r"/drift/([^/]+)", drift),
        (r"/drift-cosmetic/([^/]+)", drift_cosmetic),
        (r"/big/(\d+(?:\.\d+)?)", big),
        (r"/gzip-bomb", gzip_bomb),
        (r"/charset/([\w-]+)", charset),
        (r"/catchall(/.*)?", catchall),
        (r"/bot-wall(/.*)?", bot_wall),
        (r"/image\.png", image),
        (r"/nocache/(.+)", nocache),
        (r"/wayback/available", wayback_available),
        (r"/web/(\d{1,14})(?:[a-z]{2}_)?/(.+)", wayback_replay),
        (r"/__wayback/add", wayback_add),
        (r"/__reset", reset),
        (r"/__requests", requests_log),
    ]
]
