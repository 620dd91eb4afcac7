"""Security details from the adversarial review: CSP as a header, embedded IPv4 in IPv6, the --allow-host hint."""

from __future__ import annotations

import httpx
import pytest

from crawler.cli import main
from crawler.netguard import is_forbidden_ip
from crawler.report.markup import CSP
from tests.mockserver import MockServer
from tests.reportdata import populate
from tests.webserver import running_app


@pytest.mark.parametrize(
    ("address", "forbidden"),
    [
        ("::127.0.0.1", True),  # IPv4-compatible loopback
        ("::10.0.0.1", True),
        ("::7f00:1", True),
        ("64:ff9b::127.0.0.1", True),  # NAT64 of loopback
        ("64:ff9b::c0a8:101", True),  # NAT64 of 192.168.1.1
        ("64:ff9b::8.8.8.8", False),  # NAT64 of a public address
        ("::8.8.8.8", False),
        ("::1", True),
        ("::", True),
    ],
)
def test_ipv6_addresses_that_embed_an_ipv4_address_are_judged_by_it(address: str, forbidden: bool) -> None:
    assert is_forbidden_ip(address) is forbidden


def test_check_has_allow_host_and_the_refusal_names_it(
    mockserver: MockServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CITETRACK_ALLOW_PRIVATE", raising=False)
    url = mockserver.url("/blog/eu-ai-act-open-source.html")
    claim = 'The EU AI Act has "specific exemptions for open source AI".'
    assert main(["check", "--claim", claim, "--source", url]) == 1
    hint = f"--allow-host 127.0.0.1:{mockserver.port}"
    assert hint in capsys.readouterr().err
    assert main(["check", "--claim", claim, "--source", url, *hint.split(), "--format", "json"]) == 0
    assert '"verdict": "supported"' in capsys.readouterr().out


def test_the_refusal_hint_brackets_an_ipv6_host(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITETRACK_ALLOW_PRIVATE", raising=False)
    assert main(["check", "--claim", "Anything.", "--source", "http://[::1]:8/page"]) == 1
    assert "(allow with --allow-host [::1]:8)" in capsys.readouterr().err


def test_every_page_and_api_answer_carries_the_content_security_policy_header(db_url: str) -> None:
    populate(db_url)
    with running_app(db_url) as base_url, httpx.Client(base_url=base_url, timeout=10) as client:
        for path in ("/", "/claims", "/broken", "/articles/1", "/api/articles", "/no/such/page"):
            assert client.get(path).headers["content-security-policy"] == CSP, path
