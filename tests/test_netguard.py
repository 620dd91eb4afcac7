"""Address policy: which IPs are forbidden, host allow-lists, the environment switch, resolution of URLs."""

from __future__ import annotations

import pytest

from crawler.exceptions import FetchError, ForbiddenAddress
from crawler.netguard import AddressPolicy, check_url, is_forbidden_ip


@pytest.mark.parametrize(
    "ip",
    [
        "10.0.0.1",
        "172.16.5.4",
        "172.31.255.255",
        "192.168.1.1",
        "127.0.0.1",
        "127.8.9.10",
        "169.254.169.254",
        "0.0.0.0",
        "0.1.2.3",
        "100.64.0.1",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::1",
    ],
)
def test_non_public_addresses_are_forbidden(ip: str) -> None:
    assert is_forbidden_ip(ip)


@pytest.mark.parametrize("ip", ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(ip: str) -> None:
    assert not is_forbidden_ip(ip)


def test_literal_private_address_is_refused_without_policy() -> None:
    with pytest.raises(ForbiddenAddress, match=r"127\.0\.0\.1"):
        check_url("http://127.0.0.1:8080/page", AddressPolicy())


def test_localhost_name_is_refused_because_it_resolves_to_loopback() -> None:
    with pytest.raises(ForbiddenAddress):
        check_url("http://localhost/", AddressPolicy())


def test_allow_hosts_accepts_host_or_host_and_port_only() -> None:
    check_url("http://127.0.0.1:8080/", AddressPolicy(allow_hosts=frozenset({"127.0.0.1"})))
    check_url("http://127.0.0.1:8080/", AddressPolicy(allow_hosts=frozenset({"127.0.0.1:8080"})))
    with pytest.raises(ForbiddenAddress):
        check_url("http://127.0.0.1:9090/", AddressPolicy(allow_hosts=frozenset({"127.0.0.1:8080"})))


def test_allow_hosts_accepts_bracketed_ipv6_with_port() -> None:
    check_url("http://[::1]:8080/", AddressPolicy(allow_hosts=frozenset({"[::1]:8080"})))
    with pytest.raises(ForbiddenAddress):
        check_url("http://[::1]:8081/", AddressPolicy(allow_hosts=frozenset({"[::1]:8080"})))


def test_allow_private_accepts_any_private_address() -> None:
    check_url("http://10.1.2.3/", AddressPolicy(allow_private=True))


def test_unresolvable_host_is_a_fetch_error() -> None:
    with pytest.raises(FetchError, match="cannot resolve"):
        check_url("http://no-such-host.invalid/", AddressPolicy())


def test_policy_of_options_trims_and_lowercases_hosts() -> None:
    assert AddressPolicy.of(False, [" Example.org:8080 ", ""]) == AddressPolicy(False, frozenset({"example.org:8080"}))
