"""Address safety policy: refuse URLs that resolve to private, loopback, link-local or other non-public addresses.

Used by the single-URL fetcher (every redirect hop) and by the crawl's downloader middleware.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.exceptions import FetchError, ForbiddenAddress

ALLOW_PRIVATE_ENV = "CITETRACK_ALLOW_PRIVATE"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class AddressPolicy:
    """Which non-public destinations are allowed: all (``allow_private``) or listed ``host``/``host:port``."""

    allow_private: bool = False
    allow_hosts: frozenset[str] = field(default_factory=frozenset)

    def allows_host(self, host: str, port: int) -> bool:
        """Tell whether ``host`` (or ``host:port``) is explicitly allowed."""
        host = host.lower().strip("[]")
        spellings = {host, f"{host}:{port}", f"[{host}]", f"[{host}]:{port}"}
        return self.allow_private or not spellings.isdisjoint(self.allow_hosts)


def policy_from_env(allow_private: bool = False, allow_hosts: Iterable[str] = ()) -> AddressPolicy:
    """Return the policy for the given options, with ``CITETRACK_ALLOW_PRIVATE=1`` also allowing private addresses."""
    from_env = os.environ.get(ALLOW_PRIVATE_ENV, "").strip() == "1"
    hosts = frozenset(host.strip().lower() for host in allow_hosts if host.strip())
    return AddressPolicy(allow_private=allow_private or from_env, allow_hosts=hosts)


def is_forbidden_ip(ip: str | IPAddress) -> bool:
    """Tell whether ``ip`` is not a public unicast address (private, loopback, link-local, multicast, …)."""
    address = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None:
            return is_forbidden_ip(embedded)
    return address.is_multicast or address.is_unspecified or not address.is_global


def resolve_allowed(url: str, policy: AddressPolicy) -> list[str]:
    """Return the addresses ``url``'s host resolves to, raising ``ForbiddenAddress`` if the policy refuses any."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise FetchError(f"no host in URL {url!r}")
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"cannot resolve {host}: {error}") from None
    addresses = list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))
    forbidden = [address for address in addresses if is_forbidden_ip(address)]
    if forbidden and not policy.allows_host(host, port):
        raise ForbiddenAddress(
            f"{host} resolves to non-public address {forbidden[0]}; refused (allow with --allow-host {host}:{port})"
        )
    return addresses


def check_url(url: str, policy: AddressPolicy) -> None:
    """Raise ``ForbiddenAddress`` if ``url``'s host resolves to any forbidden address the policy does not allow."""
    resolve_allowed(url, policy)
