"""Endpoints of the test server that misbehave on purpose (statuses, redirects, slow, flaky, huge pages, bombs)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http import HTTPStatus
from urllib.parse import urlencode

from crawler.demo import samples as demo_samples
from crawler.demo.endpoints import compiled, json_reply, validated
from crawler.demo.exchange import Reply, Request, SiteState, html_reply
from crawler.demo.static import find_file
from crawler.demo.wayback import Capture
from tests.mockserver import samples
from tests.mockserver.state import TestSiteState

MAX_DELAY = 60.0
STREAM_CHUNK = 64 * 1024
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


def status(site: SiteState, request: Request, code: str) -> Reply:
    """Answer with status ``code``; ``?retry_after=N`` adds a Retry-After header."""
    number = int(code)
    phrase = HTTPStatus(number).phrase if number in HTTPStatus._value2member_map_ else "Status"
    headers = {"Retry-After": request.query["retry_after"]} if "retry_after" in request.query else {}
    if number in REDIRECT_STATUSES:
        headers["Location"] = request.query.get("to", "/")
    reply = html_reply(demo_samples.page(f"{number} {phrase}", [f"The server answered {number} {phrase}."]), number)
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
        return html_reply(demo_samples.page("End of the redirect chain", ["You followed every hop of the chain."]))
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
    return html_reply(demo_samples.page("A slow page", [f"This page took {seconds} seconds to answer."]))


def flaky(site: SiteState, request: Request, key: str, failures: str) -> Reply:
    """Fail ``failures`` times for ``key`` (503, or ``?status=``; Retry-After ``?retry_after=``, default 1)."""
    if site.bump(f"flaky:{key}") > int(failures):
        return html_reply(demo_samples.drift_page(False))
    code = int(request.query.get("status", "503"))
    retry_after = request.query.get("retry_after", "1")
    reply = html_reply(demo_samples.page("Service unavailable", ["Please try again later."]), code)
    if retry_after != "none":
        reply.headers["Retry-After"] = retry_after
    return reply


def drift_cosmetic(site: SiteState, request: Request, key: str) -> Reply:
    """Serve the article with a date stamp, view counter and menu that change on every GET; text unchanged."""
    count = site.bump(f"drift-cosmetic:{key}") if request.method == "GET" else 1
    return validated(demo_samples.drift_page(False, count, cosmetic=True))


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
        return html_reply(demo_samples.page("Unknown charset", [f"No sample for {codec}."]), 404)
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
        return html_reply(demo_samples.page("Not found", ["No such file."]), 404)
    return Reply(found.status, found.path.read_bytes(), {**found.headers, "Cache-Control": "no-store"})


def wayback_add(site: SiteState, request: Request) -> Reply:
    """Register a capture: ``?url=&timestamp=&file=`` (a path under the root) and optional ``&status=``."""
    query = request.query
    capture = Capture(query["url"], query["timestamp"], query["file"], query.get("status", "200"))
    site.archive.add(capture)
    return json_reply({"added": capture.__dict__})


def reset(site: TestSiteState, request: Request) -> Reply:
    """Reset hit counters (flaky, drift), the request log and run-time archive captures."""
    site.reset()
    return json_reply({"reset": True})


def requests_log(site: TestSiteState, request: Request) -> Reply:
    """List the requests received since the last reset: method, path, query, headers."""
    return json_reply(site.requests())


def _redirect(location: str, code: int) -> Reply:
    """Return a redirect to ``location`` with a short HTML body."""
    return html_reply(demo_samples.page("Moved", [f"This page moved to {location}."]), code, Location=location)


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


ROUTES = compiled(
    [
        (r"/status/(\d{3})", status),
        (r"/redirect", redirect),
        (r"/redirect/(\d+)", redirect_chain),
        (r"/redirect-permanent", redirect_permanent),
        (r"/redirect-home(/.*)?", redirect_home),
        (r"/loop/(a|b)", loop),
        (r"/delay/(\d+(?:\.\d+)?)", delay),
        (r"/flaky/([^/]+)/(\d+)", flaky),
        (r"/drift-cosmetic/([^/]+)", drift_cosmetic),
        (r"/big/(\d+(?:\.\d+)?)", big),
        (r"/gzip-bomb", gzip_bomb),
        (r"/charset/([\w-]+)", charset),
        (r"/catchall(/.*)?", catchall),
        (r"/bot-wall(/.*)?", bot_wall),
        (r"/image\.png", image),
        (r"/nocache/(.+)", nocache),
        (r"/__wayback/add", wayback_add),
        (r"/__reset", reset),
        (r"/__requests", requests_log),
    ]
)
