"""Fetch one URL with the standard library, checking every redirect hop against the address policy."""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from crawler.exceptions import FetchError, InputTooLarge
from crawler.netguard import AddressPolicy, resolve_allowed
from crawler.settings import CITETRACK_CONTACT_URL, DOWNLOAD_MAXSIZE
from crawler.settings import USER_AGENT as USER_AGENT_TEMPLATE
from crawler.urls import canonicalize_url, is_http_url

# The crawl's User-Agent with the default contact; commands pass ``crawler.config.user_agent()`` (the configured one).
USER_AGENT = USER_AGENT_TEMPLATE.replace("{contact}", CITETRACK_CONTACT_URL)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 65_536


@dataclass(frozen=True)
class FetchedPage:
    """A successfully fetched page; ``redirect_chain`` lists each redirect as ``{"status", "url"}``."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirect_chain: list[dict[str, int | str]] = field(default_factory=list)


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP connection to the addresses the policy checked, so DNS cannot change between check and connect."""

    def __init__(self, host: str, port: int, addresses: list[str], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses

    def connect(self) -> None:
        """Connect to the first checked address that accepts."""
        self.sock = _connect(self._addresses, self.port, self.timeout)


class _PinnedTLSConnection(http.client.HTTPSConnection):
    """The HTTPS variant of ``_PinnedConnection``; the certificate is checked against the host name."""

    def __init__(self, host: str, port: int, addresses: list[str], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses

    def connect(self) -> None:
        """Connect to the first checked address that accepts, then start TLS for the host name."""
        self.sock = self._context.wrap_socket(
            _connect(self._addresses, self.port, self.timeout), server_hostname=self.host
        )


def fetch_url(
    url: str,
    *,
    policy: AddressPolicy | None = None,
    max_bytes: int = DOWNLOAD_MAXSIZE,
    timeout: float = 20.0,
    max_redirects: int = 10,
    user_agent: str = USER_AGENT,
) -> FetchedPage:
    """GET ``url`` following redirects by hand; raise ``FetchError`` (one line) or ``InputTooLarge`` on failure.

    ``timeout`` bounds each read and also the whole fetch, redirects included: a server that trickles its
    headers or body a byte at a time is cut off when the wall-clock deadline passes.
    """
    policy = policy or AddressPolicy()
    deadline = time.monotonic() + timeout
    chain: list[dict[str, int | str]] = []
    seen: set[str] = set()
    current = url
    while True:
        if not is_http_url(current):
            raise FetchError(f"not an http(s) URL: {current!r}")
        seen.add(canonicalize_url(current))
        status, headers, body = _get(current, policy, timeout, deadline, max_bytes, user_agent)
        if status not in REDIRECT_STATUSES or "location" not in headers:
            break
        chain.append({"status": status, "url": current})
        target = urljoin(current, headers["location"])
        if is_http_url(target) and canonicalize_url(target) in seen:
            raise FetchError(f"redirect loop: {current} redirects back to {target}")
        if len(chain) > max_redirects:
            raise FetchError(f"too many redirects (over {max_redirects}) starting at {url}")
        current = target
    if not 200 <= status < 300:
        raise FetchError(f"HTTP {status} from {current}")
    return FetchedPage(url, current, status, headers, body, chain)


def _get(
    url: str, policy: AddressPolicy, timeout: float, deadline: float, max_bytes: int, user_agent: str
) -> tuple[int, dict[str, str], bytes]:
    """Send one GET; return status, lowercase headers and the decoded body (empty for redirects)."""
    parts = urlsplit(url)
    addresses = resolve_allowed(url, policy)
    tls = parts.scheme.lower() == "https"
    connection_class = _PinnedTLSConnection if tls else _PinnedConnection
    connection = connection_class(parts.hostname or "", parts.port or (443 if tls else 80), addresses, timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = {"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate", "Accept": "*/*"}
    watchdog = _Deadline(connection, deadline)
    try:
        connection.request("GET", target, headers=request_headers)
        # The response owns the socket once the server says it will close: close it, not just the connection.
        with connection.getresponse() as response:
            headers: dict[str, str] = {}
            for name, value in response.getheaders():
                key = name.lower()
                headers[key] = f"{headers[key]}, {value}" if key in headers else value
            if response.status in REDIRECT_STATUSES:
                answer = response.status, headers, b""
            else:
                answer = response.status, headers, _read_body(response, headers, url, deadline, max_bytes)
    except (OSError, http.client.HTTPException) as error:
        if watchdog.expired.is_set() or isinstance(error, TimeoutError):
            raise FetchError(f"{url}: timed out after {timeout:g}s") from None
        if isinstance(error, ConnectionRefusedError):
            raise FetchError(f"{url}: connection refused") from None
        raise FetchError(f"{url}: {type(error).__name__}: {error}") from None
    finally:
        watchdog.cancel()
        connection.close()
    if watchdog.expired.is_set():  # the cut-off socket may have looked like a complete answer
        raise FetchError(f"{url}: timed out after {timeout:g}s")
    return answer


class _Deadline:
    """Shuts a connection's socket down when the wall-clock deadline passes, ending any blocked read."""

    def __init__(self, connection: http.client.HTTPConnection, deadline: float) -> None:
        self.connection = connection
        self.expired = threading.Event()
        self.timer = threading.Timer(max(deadline - time.monotonic(), 0.0), self._expire)
        self.timer.daemon = True
        self.timer.start()

    def _expire(self) -> None:
        self.expired.set()
        sock = self.connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        """Stop the timer (the fetch ended in time, or failed otherwise)."""
        self.timer.cancel()


def _read_body(
    response: http.client.HTTPResponse, headers: dict[str, str], url: str, deadline: float, max_bytes: int
) -> bytes:
    """Read and decompress the body, refusing more than ``max_bytes`` before or after decompression."""
    too_large = InputTooLarge(f"{url}: body is over the {max_bytes:,}-byte limit")
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    decoder = _decoder(headers.get("content-encoding", "identity"), url)
    body = bytearray()
    received = 0
    try:
        while chunk := response.read(_CHUNK):
            received += len(chunk)
            if received > max_bytes:
                raise too_large
            if time.monotonic() > deadline:
                raise TimeoutError
            body += decoder.decompress(chunk, max_bytes + 1 - len(body)) if decoder else chunk
            if len(body) > max_bytes:
                raise too_large
        if decoder:
            body += decoder.flush()
    except zlib.error as error:
        raise FetchError(f"{url}: corrupt compressed body: {error}") from None
    if len(body) > max_bytes:
        raise too_large
    return bytes(body)


def _decoder(encoding: str, url: str) -> zlib._Decompress | None:
    """Return a decompressor for a Content-Encoding, None for identity; refuse encodings we did not ask for."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS)  # HTTP "deflate" is the zlib format (RFC 9110)
    raise FetchError(f"{url}: unsupported Content-Encoding {encoding!r}")


def _connect(addresses: list[str], port: int, timeout: float | None) -> socket.socket:
    """Open a TCP connection to the first of ``addresses`` that accepts."""
    last_error: OSError = ConnectionRefusedError("no address to connect to")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as error:
            last_error = error
    raise last_error
