"""One crawl of the fixture site per backend: robots, retries, redirects, size cap, charsets, landing → PDF."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.crawling import add_sources, by_url, checks, crawl, snapshots
from tests.databases import backend_url
from tests.mockserver import MockServer
from tests.mockserver.samples import CHARSET_SAMPLES

PATHS = {
    "robots": "/private/internal-draft.html",
    "flaky": "/flaky/crawl-fetch/1",
    "moved": "/2025/06/resilience-open-source-ai",
    "hops": "/redirect/3",
    "loop": "/loop/a",
    "big": "/big/3",
    "big_chunked": "/big/3?chunked=1",
    "bomb": "/gzip-bomb",
    "cyrillic": "/charset/windows-1251",
    "meta_only": "/charset/shift_jis?header=none",
    "bom_only": "/charset/utf-8?bom=1&header=none&meta=none",
    "header_beats_meta": "/charset/koi8-r?meta=windows-1252",
    "landing": "/gov/reports/open-model-weights/",
    "login_wall": "/members/briefing.html",
    "abstract_paywall": "/journal/ieee-democratizing-ai.html",
    "journal": "/journal/open-weights-global-south.html",
    "gone": "/status/404",
    "slow": "/delay/3",
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site_crawl(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, mockserver: MockServer
) -> Iterator[tuple[str, int, dict[str, Any], dict[str, str]]]:
    """Crawl every case once; yield the store URL, exit code, JSON summary and the case → URL map."""
    mockserver.reset()
    urls = {case: mockserver.url(path) for case, path in PATHS.items()}
    with backend_url(request.param, tmp_path_factory.mktemp("crawl")) as db_url:
        add_sources(db_url, list(urls.values()))
        limits = ("-s", "DOWNLOAD_MAXSIZE=2000000", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=1")
        code, summary = crawl(db_url, "--allow-private", *limits)
        yield db_url, code, summary, urls


def test_crawl_reports_every_source_in_the_json_contract(site_crawl):
    _, code, summary, urls = site_crawl
    assert code == 0
    assert {"fetched", "unchanged", "failed", "sources"} <= set(summary)
    assert summary["fetched"] + summary["unchanged"] + summary["failed"] == len(urls) == len(summary["sources"])
    for row in summary["sources"]:
        assert {"url", "final_url", "http_status", "outcome", "snapshot_id"} <= set(row)
    assert sum(summary["failed_by_reason"].values()) == summary["failed"]


def test_robots_disallowed_source_is_recorded_blocked_and_not_fetched(site_crawl, mockserver):
    db_url, _, summary, urls = site_crawl
    row = by_url(summary)[urls["robots"]]
    assert (row["outcome"], row["status"], row["http_status"]) == ("failed", "blocked", None)
    assert checks(db_url, urls["robots"])[-1].evidence["rule"] == "robots"
    assert all(request["path"] != PATHS["robots"] for request in mockserver.requests())


def test_503_is_retried_after_its_retry_after_then_stored(site_crawl):
    db_url, _, summary, urls = site_crawl
    row = by_url(summary)[urls["flaky"]]
    assert (row["outcome"], row["status"], row["http_status"]) == ("fetched", "ok", 200)
    evidence = checks(db_url, urls["flaky"])[-1].evidence
    assert evidence["retries"] == 1
    assert evidence["retry_after"] == 1.0


def test_permanent_redirect_stores_chain_and_final_url(site_crawl, mockserver):
    db_url, _, summary, urls = site_crawl
    (snapshot,) = snapshots(db_url, urls["moved"])
    assert snapshot.final_url == mockserver.url("/thinktank/open-source-ai-resilience.html")
    assert snapshot.redirect_chain == [{"status": 301, "url": urls["moved"]}]
    assert by_url(summary)[urls["moved"]]["status"] == "redirected"


def test_every_hop_of_a_redirect_chain_is_stored(site_crawl, mockserver):
    db_url, _, _, urls = site_crawl
    (snapshot,) = snapshots(db_url, urls["hops"])
    hops = [mockserver.url(f"/redirect/{n}") for n in (3, 2, 1)]
    assert snapshot.redirect_chain == [{"status": 302, "url": url} for url in hops]
    assert snapshot.final_url == mockserver.url("/redirect/0")


def test_redirect_loop_fails_with_its_chain(site_crawl, mockserver):
    db_url, _, summary, urls = site_crawl
    assert by_url(summary)[urls["loop"]]["outcome"] == "failed"
    evidence = checks(db_url, urls["loop"])[-1].evidence
    assert evidence["rule"] == "redirect_loop"
    assert evidence["redirect_chain"] == [{"status": 302, "url": urls["loop"]}]
    assert snapshots(db_url, urls["loop"]) == []


@pytest.mark.parametrize("case", ["big", "big_chunked", "bomb"])
def test_body_over_the_size_cap_is_recorded_too_large_and_not_stored(site_crawl, case):
    db_url, _, summary, urls = site_crawl
    row = by_url(summary)[urls[case]]
    assert (row["outcome"], row["status"], row["snapshot_id"]) == ("failed", "too_large", None)
    assert checks(db_url, urls[case])[-1].evidence["rule"] == "too_large"
    assert snapshots(db_url, urls[case]) == []


@pytest.mark.parametrize(
    ("case", "sample"),
    [("cyrillic", "cyrillic"), ("meta_only", "japanese"), ("bom_only", "universal"), ("header_beats_meta", "cyrillic")],
)
def test_charset_declarations_are_honoured_end_to_end(site_crawl, case, sample):
    db_url, _, _, urls = site_crawl
    (snapshot,) = snapshots(db_url, urls[case])
    assert CHARSET_SAMPLES[sample] in snapshot.text


def test_report_landing_page_is_followed_to_its_pdf(site_crawl, mockserver):
    db_url, _, summary, urls = site_crawl
    (snapshot,) = snapshots(db_url, urls["landing"])
    assert snapshot.content_type == "application/pdf"
    assert "362 public comments" in snapshot.text
    assert [(fetch["url"], fetch["status"]) for fetch in snapshot.fetches] == [
        (urls["landing"], 200),
        (mockserver.url("/gov/reports/open-model-weights/report.pdf"), 200),
    ]
    assert snapshot.final_url == urls["landing"]
    assert by_url(summary)[urls["landing"]]["status"] == "ok"


def test_every_exchange_is_kept_hop_by_hop_with_headers_as_sent_and_received(site_crawl):
    db_url, _, _, urls = site_crawl
    (hops,) = snapshots(db_url, urls["hops"])
    (fetch,) = hops.fetches
    assert [(hop["url"], hop["status"]) for hop in fetch["redirects"]] == [
        (step["url"], step["status"]) for step in hops.redirect_chain
    ]
    assert len(fetch["redirects"]) == 3
    for exchange in [*fetch["redirects"], fetch]:
        assert exchange["method"] == "GET"
        assert exchange["protocol"] == "HTTP/1.1"
        assert any(name == "User-Agent" and "citetrack" in value for name, value in exchange["request_headers"])
    assert all(any(name == "Location" for name, _ in hop["response_headers"]) for hop in fetch["redirects"])
    (landing,) = snapshots(db_url, urls["landing"])
    page, document = landing.fetches
    assert ["Content-Type", "application/pdf"] in document["response_headers"]
    assert document["sha256"] == landing.content_hash != page["sha256"]


@pytest.mark.parametrize("case", ["login_wall", "abstract_paywall"])
def test_paywall_and_login_wall_are_paywalled_not_ok_with_little_text(site_crawl, case):
    _, _, summary, urls = site_crawl
    row = by_url(summary)[urls[case]]
    assert (row["outcome"], row["status"]) == ("fetched", "paywalled")


@pytest.mark.parametrize(
    ("case", "passage"), [("journal", "We survey 214 research groups"), ("moved", "Open models invite scrutiny")]
)
def test_article_text_is_the_main_text_without_banners_references_or_related_links(site_crawl, case, passage):
    db_url, _, _, urls = site_crawl
    (snapshot,) = snapshots(db_url, urls[case])
    assert passage in snapshot.text
    assert "MARKER" not in snapshot.text


def test_404_is_a_failed_check_without_snapshot(site_crawl):
    db_url, _, summary, urls = site_crawl
    row = by_url(summary)[urls["gone"]]
    assert (row["outcome"], row["status"], row["http_status"]) == ("failed", "dead", 404)
    assert snapshots(db_url, urls["gone"]) == []


def test_timeout_is_retried_then_recorded_as_timeout(site_crawl, mockserver):
    db_url, _, summary, urls = site_crawl
    row = by_url(summary)[urls["slow"]]
    assert (row["outcome"], row["status"], row["snapshot_id"]) == ("failed", "timeout", None)
    evidence = checks(db_url, urls["slow"])[-1].evidence
    assert (evidence["rule"], evidence["retries"], evidence["conclusive"]) == ("timeout", 1, False)
    assert sum(request["path"] == PATHS["slow"] for request in mockserver.requests()) == 2
