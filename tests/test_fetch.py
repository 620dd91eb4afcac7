"""The single-URL fetcher against a local HTTP server: redirects, loops, address policy, size caps, errors."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawler.exceptions import FetchError, ForbiddenAddress, InputTooLarge
from crawler.fetch import USER_AGENT, fetch_url
from crawler.netguard import AddressPolicy
from crawler.settings import CITETRACK_CONTACT_URL

PAGE = b"<html><body><p>Trout moved upstream.[1]</p></body></html>"
BOMB = gzip.compress(b"\0" * 5_000_000)


class Handler(BaseHTTPRequestHandler):
    """Routes: /ok, /redirect/N, /loop-a|b, /relative, /to-localhost, /big, /stream, /gzip, /deflate, /bomb, …"""

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/ok":
            self.reply(200, PAGE, {"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"'})
        elif path.startswith("/redirect/"):
            hops = int(path.rsplit("/", 1)[1])
            self.redirect(f"/redirect/{hops - 1}" if hops > 1 else "/ok", 301 if hops % 2 else 302)
        elif path in ("/loop-a", "/loop-b"):
            self.redirect("/loop-b" if path == "/loop-a" else "/loop-a#again", 302)
        elif path == "/relative":
            self.redirect("ok?utm_source=x", 307)
        elif path == "/to-localhost":
            self.redirect(f"http://localhost:{self.server.server_port}/ok", 302)
        elif path == "/big":
            self.reply(200, b"x" * 5_000, {"Content-Type": "text/plain"})
        elif path == "/stream":
            self.reply(200, b"y" * 5_000, {"Content-Type": "text/plain"}, length=False)
        elif path == "/gzip":
            self.reply(200, gzip.compress(PAGE), {"Content-Encoding": "gzip"})
        elif path == "/deflate":
            self.reply(200, zlib.compress(PAGE), {"Content-Encoding": "deflate"})
        elif path == "/bomb":
            self.reply(200, BOMB, {"Content-Encoding": "gzip"})
        elif path == "/slow":
            time.sleep(1.0)
            self.reply(200, PAGE, {})
        else:
            self.reply(404, b"not found", {})

    def reply(self, status: int, body: bytes, headers: dict[str, str], length: bool = True) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        """Keep test output quiet."""


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that timed out and hung up is expected here."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def allowed(server: str) -> AddressPolicy:
    return AddressPolicy(allow_hosts=frozenset({server}))


def test_fetch_returns_body_status_and_lowercase_headers(server: str, allowed: AddressPolicy) -> None:
    page = fetch_url(f"http://{server}/ok", policy=allowed)
    assert (page.status, page.body, page.redirect_chain) == (200, PAGE, [])
    assert page.final_url == page.url == f"http://{server}/ok"
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["etag"] == '"v1"'


def test_redirects_are_followed_and_recorded(server: str, allowed: AddressPolicy) -> None:
    page = fetch_url(f"http://{server}/redirect/3", policy=allowed)
    assert page.final_url == f"http://{server}/ok"
    assert page.redirect_chain == [
        {"status": 301, "url": f"http://{server}/redirect/3"},
        {"status": 302, "url": f"http://{server}/redirect/2"},
        {"status": 301, "url": f"http://{server}/redirect/1"},
    ]


def test_relative_location_is_resolved(server: str, allowed: AddressPolicy) -> None:
    page = fetch_url(f"http://{server}/relative", policy=allowed)
    assert page.final_url == f"http://{server}/ok?utm_source=x"
    assert page.redirect_chain == [{"status": 307, "url": f"http://{server}/relative"}]


def test_redirect_loop_is_a_fetch_error(server: str, allowed: AddressPolicy) -> None:
    with pytest.raises(FetchError, match="redirect loop"):
        fetch_url(f"http://{server}/loop-a", policy=allowed)


def test_too_many_redirects_is_a_fetch_error(server: str, allowed: AddressPolicy) -> None:
    with pytest.raises(FetchError, match="too many redirects"):
        fetch_url(f"http://{server}/redirect/5", policy=allowed, max_redirects=3)
    assert fetch_url(f"http://{server}/redirect/3", policy=allowed, max_redirects=3).status == 200


def test_private_address_is_refused_without_a_policy(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITETRACK_ALLOW_PRIVATE", "1")  # the environment is the command line's business, not fetch's
    with pytest.raises(ForbiddenAddress):
        fetch_url(f"http://{server}/ok")


def test_each_redirect_hop_is_checked_against_the_policy(server: str, allowed: AddressPolicy) -> None:
    with pytest.raises(ForbiddenAddress, match="localhost"):
        fetch_url(f"http://{server}/to-localhost", policy=allowed)


def test_gzip_and_deflate_bodies_are_decoded(server: str, allowed: AddressPolicy) -> None:
    assert fetch_url(f"http://{server}/gzip", policy=allowed).body == PAGE
    assert fetch_url(f"http://{server}/deflate", policy=allowed).body == PAGE


@pytest.mark.parametrize("path", ["/big", "/stream"])
def test_body_over_the_size_cap_is_refused(server: str, allowed: AddressPolicy, path: str) -> None:
    with pytest.raises(InputTooLarge, match="1,000-byte limit"):
        fetch_url(f"http://{server}{path}", policy=allowed, max_bytes=1_000)
    assert len(fetch_url(f"http://{server}{path}", policy=allowed, max_bytes=5_000).body) == 5_000


def test_gzip_bomb_is_capped_after_decompression(server: str, allowed: AddressPolicy) -> None:
    assert len(BOMB) < 100_000
    with pytest.raises(InputTooLarge):
        fetch_url(f"http://{server}/bomb", policy=allowed, max_bytes=100_000)


def test_non_2xx_final_status_is_a_fetch_error(server: str, allowed: AddressPolicy) -> None:
    with pytest.raises(FetchError, match=r"^HTTP 404 from http://.*/missing$"):
        fetch_url(f"http://{server}/missing", policy=allowed)


def test_timeout_is_a_one_line_fetch_error(server: str, allowed: AddressPolicy) -> None:
    with pytest.raises(FetchError, match=r"timed out after 0\.2s"):
        fetch_url(f"http://{server}/slow", policy=allowed, timeout=0.2)


def test_refused_connection_is_a_fetch_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    policy = AddressPolicy(allow_hosts=frozenset({f"127.0.0.1:{port}"}))
    with pytest.raises(FetchError, match="connection refused"):
        fetch_url(f"http://127.0.0.1:{port}/", policy=policy)


@pytest.mark.parametrize("url", ["ftp://example.com/file", "file:///etc/passwd"])
def test_non_http_url_is_refused(url: str) -> None:
    with pytest.raises(FetchError, match="not an http"):
        fetch_url(url, policy=AddressPolicy())


def test_single_url_fetches_name_citetrack_and_its_contact_url():
    assert USER_AGENT.startswith("citetrack/")
    assert CITETRACK_CONTACT_URL in USER_AGENT and "{" not in USER_AGENT
