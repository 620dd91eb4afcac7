"""Private-address refusal in the crawl: by default, per allowed host, on redirect hops, and by environment."""

from __future__ import annotations

import pytest

from tests.crawling import add_sources, by_url, checks, crawl, snapshots
from tests.mockserver import MockServer


@pytest.fixture
def no_private_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure the environment switch is off."""
    monkeypatch.delenv("CITETRACK_ALLOW_PRIVATE", raising=False)


@pytest.mark.usefixtures("no_private_env")
def test_private_addresses_are_refused_unless_the_host_is_allowed_even_after_a_redirect(
    sqlite_url: str, mockserver: MockServer, mockserver2: MockServer
) -> None:
    port = mockserver.port
    allowed = f"http://localhost:{port}/thinktank/open-source-ai-resilience.html"
    loopback = mockserver.url("/blog/eu-ai-act-open-source.html")
    target = mockserver2.url("/journal/open-weights-global-south.html")
    hop = f"http://localhost:{port}/redirect?to={target}"
    add_sources(sqlite_url, [allowed, loopback, hop])
    mockserver.reset()
    mockserver2.reset()

    code, summary = crawl(sqlite_url, "--allow-host", f"localhost:{port}")

    assert code == 0
    rows = by_url(summary)
    assert (rows[allowed]["outcome"], rows[allowed]["status"]) == ("fetched", "ok")
    for url in (loopback, hop):
        assert (rows[url]["outcome"], rows[url]["status"], rows[url]["snapshot_id"]) == ("failed", "blocked", None)
        assert checks(sqlite_url, url)[-1].evidence["rule"] == "forbidden_address"
        assert snapshots(sqlite_url, url) == []
    assert checks(sqlite_url, hop)[-1].evidence["redirect_chain"] == [{"status": 302, "url": hop}]
    assert rows[hop]["final_url"] == target
    assert mockserver2.requests() == []
    assert all(request["path"] != "/blog/eu-ai-act-open-source.html" for request in mockserver.requests())


def test_environment_switch_allows_private_addresses(
    sqlite_url: str, mockserver: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITETRACK_ALLOW_PRIVATE", "1")
    url = mockserver.url("/blog/eu-ai-act-open-source.html")
    add_sources(sqlite_url, [url])

    _, summary = crawl(sqlite_url)

    assert by_url(summary)[url]["outcome"] == "fetched"
