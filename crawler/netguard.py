"""Address safety policy: refuse URLs that resolve to private, loopback, link-local or other non-public addresses.

Used by the single-URL fetcher (every redirect hop) and by the crawl's downloader middleware.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.exceptions import FetchError, ForbiddenAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# RFC 6052's well-known NAT64 prefix: 64:ff9b::a.b.c.d reaches the IPv4 address a.b.c.d through a translator.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# RFC 4291's deprecated IPv4-compatible addresses (::a.b.c.d); :: and ::1 are themselves, not IPv4.
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


@dataclass(frozen=True)
class AddressPolicy:
    """Which non-public destinations are allowed: all (``allow_private``) or listed ``host``/``host:port``."""

    allow_private: bool = False
    allow_hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, allow_private: bool, allow_hosts: Iterable[str]) -> AddressPolicy:
        """Return the policy for options as given (``host``/``host:port`` spellings trimmed and lower-cased)."""
        return cls(allow_private, frozenset(host.strip().lower() for host in allow_hosts if host.strip()))

    def allows_host(self, host: str, port: int) -> bool:
        """Tell whether ``host`` (or ``host:port``) is explicitly allowed."""
        host = host.lower().strip("[]")
        spellings = {host, f"{host}:{port}", f"[{host}]", f"[{host}]:{port}"}
        return self.allow_private or not spellings.isdisjoint(self.allow_hosts)


def is_forbidden_ip(ip: str | IPAddress) -> bool:
    """Tell whether ``ip`` is not a public unicast address (private, loopback, link-local, multicast, …)."""
    address = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_forbidden_ip(embedded)
    return address.is_multicast or address.is_unspecified or not address.is_global


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 address stands for (mapped, 6to4, Teredo, NAT64, IPv4-compatible)."""
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in NAT64 or (address in IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(address.packed[12:])
    return None


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
        spelled = f"[{host}]" if ":" in host else host
        raise ForbiddenAddress(
            f"{spelled} resolves to non-public address {forbidden[0]}; refused (allow with --allow-host {spelled}:{port})"
        )
    return addresses


def check_url(url: str, policy: AddressPolicy) -> None:
    """Raise ``ForbiddenAddress`` if ``url``'s host resolves to any forbidden address the policy does not allow."""
    resolve_allowed(url, policy)
