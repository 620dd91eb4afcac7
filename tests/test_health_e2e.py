"""Source health end to end: ingest, crawl the local site, verify, and read ``citetrack broken`` — every case."""

from __future__ import annotations

import contextlib
import io
import json
import socket
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.demo import samples

# Short timeouts, no politeness delays, no backoff: the whole site crawls in a few seconds.
CRAWL_OPTIONS = ["--allow-private", "-s", "DOWNLOAD_TIMEOUT=1", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
                 "-s", "CITETRACK_RETRY_BACKOFF_BASE=0"]  # fmt: skip
TEST_CONFIRMATION = {"CITETRACK_CONFIRM_CHECKS": "2", "CITETRACK_CONFIRM_SPACING_DAYS": "0"}
DRIFT_CLAIM = "The NTIA concluded that the government should not restrict the wide availability of model weights."
# case -> (path on the site, or None for the catch-all host / a closed port; expected status)
CASES = {
    "ok": ("/thinktank/open-source-ai-resilience.html", "ok"),
    "404": ("/status/404", "dead"),
    "410": ("/status/410", "dead"),
    "500 always": ("/status/500", "server_error"),
    "503 then ok": ("/flaky/e2e/1", "ok"),
    "redirect to home": ("/redirect-home/old-story", "soft_404"),
    "catch-all 200 not found": (None, "soft_404"),
    "moved article": ("/2025/06/resilience-open-source-ai", "redirected"),
    "redirect loop": ("/loop/a", "dead"),
    "slow page": ("/delay/5", "timeout"),
    "robots disallow": ("/private/internal-draft.html", "blocked"),
    "403 bot wall": ("/bot-wall", "blocked"),
    "paywall with abstract": ("/journal/ieee-democratizing-ai.html", "paywalled"),
    "login wall": ("/members/briefing.html", "paywalled"),
    "image": ("/image.png", "unsupported"),
    "30 MB page": ("/big/30", "too_large"),
    "connection refused": (None, "dead"),
}
NO_ALARM = ("ok", "503 then ok", "moved article")


def cli(*argv: str) -> tuple[int, str]:
    """Run a citetrack command in-process; return its exit code and stdout."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


def write_article(path: Path, cited: list[tuple[str, str]]) -> Path:
    """Write an HTML article whose claim n cites reference n (a URL)."""
    claims = "".join(f"<p>{claim}[{n}]</p>" for n, (_, claim) in enumerate(cited, 1))
    items = "".join(f'<li>Outlet {n}. <a href="{url}">Source {n}</a>.</li>' for n, (url, _) in enumerate(cited, 1))
    path.write_text(f"<html><head><title>Health test</title></head><body><article><h1>Health test</h1>{claims}"
                    f"<h2>References</h2><ol>{items}</ol></article></body></html>", encoding="utf-8")  # fmt: skip
    return path


def crawl(db: str, *selection: str) -> None:
    """Crawl; the crawl's own health pass raises and confirms the flags."""
    code, _ = cli("crawl", "--db", db, *CRAWL_OPTIONS, *selection)
    assert code == 0


def broken(db: str, *options: str) -> list[dict]:
    code, out = cli("broken", "--db", db, "--format", "json", *options)
    assert code == 0
    return json.loads(out)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/gone"


@pytest.fixture
def confirmation_env(monkeypatch):
    for name, value in TEST_CONFIRMATION.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="module")
def site_crawl(mockserver, catchall_server, tmp_path_factory):
    """One crawl of every case; returns the database URL and each case's source URL."""
    mockserver.reset()
    tmp = tmp_path_factory.mktemp("health-e2e")
    db = f"sqlite:///{tmp / 'citetrack.db'}"
    urls = {case: mockserver.url(path) for case, (path, _) in CASES.items() if path}
    urls["catch-all 200 not found"] = catchall_server.url("/news/2024/a-story-that-was-removed")
    urls["connection refused"] = closed_port_url()
    article = write_article(tmp / "article.html", [(url, f"Claim about the {case} case.") for case, url in urls.items()])
    with pytest.MonkeyPatch.context() as patch:
        for name, value in TEST_CONFIRMATION.items():
            patch.setenv(name, value)
        assert cli("ingest", str(article), "--db", db)[0] == 0
        crawl(db)
    return db, urls


@pytest.mark.parametrize("case", list(CASES))
def test_each_case_gets_its_status(site_crawl, case):
    db, urls = site_crawl
    code, out = cli("sources", "list", "--db", db, "--format", "json")
    assert code == 0
    status = {row["url"]: row["status"] for row in json.loads(out)}
    assert status[urls[case]] == CASES[case][1]


def test_no_false_alarm_on_ok_moved_and_flaky_pages(site_crawl):
    db, urls = site_crawl
    listed = {row["url"] for row in broken(db)}
    assert not listed & {urls[case] for case in NO_ALARM}
    assert {urls["404"], urls["redirect to home"], urls["paywall with abstract"]} <= listed


def test_broken_rows_carry_the_contract_fields_and_evidence(site_crawl):
    db, urls = site_crawl
    rows = {row["url"]: row for row in broken(db)}
    row = rows[urls["404"]]
    assert {"url", "status", "confirmed", "first_seen", "last_seen", "checks", "evidence", "archive_url", "articles"} <= set(row)
    assert (row["status"], row["confirmed"], row["checks"]) == ("dead", False, 1)
    assert (row["evidence"]["rule"], row["evidence"]["http_status"]) == ("http_404", 404)
    assert row["articles"][0]["claims"][0]["text"] == "Claim about the 404 case."
    assert rows[urls["redirect to home"]]["evidence"]["matched"] == "home"
    assert rows[urls["slow page"]]["evidence"]["conclusive"] is False


def test_broken_filters_by_status_and_prints_table_and_csv(site_crawl):
    db, _ = site_crawl
    assert {row["status"] for row in broken(db, "--status", "paywalled")} == {"paywalled"}
    assert broken(db, "--confirmed") == []
    code, table = cli("broken", "--db", db)
    assert code == 0 and "http_404" in table and "problem source(s), 0 confirmed" in table
    code, text = cli("broken", "--db", db, "--format", "csv")
    assert code == 0 and text.splitlines()[0].startswith("url,status,confirmed,first_seen")


def test_broken_for_an_unknown_article_or_status_fails_cleanly(site_crawl, capsys):
    db, _ = site_crawl
    assert main(["broken", "--db", db, "--article", "999"]) == 1
    assert "999" in capsys.readouterr().err
    assert main(["broken", "--db", db, "--status", "fine"]) == 2
    assert "invalid choice: 'fine'" in capsys.readouterr().err


@pytest.fixture(scope="module")
def two_checks(mockserver, tmp_path_factory):
    """Sources checked twice (N=2, T=0) with a verify in between: dead, 404-then-ok, drifting, cosmetic, archived."""
    mockserver.reset()
    tmp = tmp_path_factory.mktemp("health-history")
    db = f"sqlite:///{tmp / 'citetrack.db'}"
    urls = {
        "gone": mockserver.url("/status/404"),
        "back": mockserver.url("/flaky/e2e-clear/1?status=404&retry_after=none"),
        "drifting": mockserver.url("/drift/e2e"),
        "cosmetic": mockserver.url("/drift-cosmetic/e2e"),
        "archived": mockserver.url("/gone/open-weights-explainer"),
    }
    claims = {"gone": "A gone claim.", "back": "A back claim."}
    article = write_article(tmp / "a.html", [(url, claims.get(name, DRIFT_CLAIM)) for name, url in urls.items()])
    with pytest.MonkeyPatch.context() as patch:
        for name, value in TEST_CONFIRMATION.items():
            patch.setenv(name, value)
        cli("ingest", str(article), "--db", db)
        crawl(db)
        first = {row["url"]: row for row in broken(db)}
        assert cli("verify", "--db", db)[0] == 0
        crawl(db, "--all")
    return db, urls, first


def test_problem_is_confirmed_on_the_second_check_and_cleared_by_success(two_checks):
    db, urls, first = two_checks
    assert (first[urls["gone"]]["confirmed"], first[urls["back"]]["confirmed"]) == (False, False)
    rows = {row["url"]: row for row in broken(db)}
    assert (rows[urls["gone"]]["confirmed"], rows[urls["gone"]]["checks"]) == (True, 2)
    assert urls["back"] not in rows, "a success clears the flag"
    confirmed = {row["url"] for row in broken(db, "--confirmed")}
    assert confirmed == {urls["gone"], urls["archived"], urls["drifting"]}, "a drift flag is confirmed at once"


def test_drift_of_the_supporting_passage_is_flagged_but_a_cosmetic_change_is_not(two_checks):
    db, urls, _ = two_checks
    rows = broken(db, "--status", "drifted")
    assert [row["url"] for row in rows] == [urls["drifting"]]
    [claim] = rows[0]["evidence"]["claims"]
    assert samples.DRIFT_SUPPORTED in claim["old_passage"]
    assert claim["new_passage"] and samples.DRIFT_SUPPORTED not in claim["new_passage"]
    assert claim["old_snapshot_at"] < claim["new_snapshot_at"]
    assert rows[0]["claims_losing_support"] == 1
    assert broken(db)[0]["url"] == urls["drifting"], "the source whose claims lose most support comes first"


def test_archive_fallback_suggests_the_capture_from_before_the_citation(two_checks, mockserver):
    db, urls, _ = two_checks
    rows = {row["url"]: row for row in broken(db, "--find-archives", "--archive-url", mockserver.base_url)}
    gone = urls["archived"]
    assert rows[gone]["archive_url"] == f"{mockserver.base_url}/web/20250301120000/{gone}"
    archive = rows[gone]["evidence"]["archive"]
    assert (archive["usable"], archive["claims_supported"]) == (True, 1)
    assert rows[urls["gone"]]["archive_url"] is None, "/status/404 has no capture"


def resolve(*argv: str) -> tuple[int, str]:
    """Run ``citetrack sources resolve`` in-process."""
    return cli("sources", "resolve", *argv)


def test_editor_replacement_is_crawled_and_verified_on_the_next_run(mockserver, tmp_path, confirmation_env):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    gone, replacement = mockserver.url("/status/410"), mockserver.url("/archive/open-weights-explainer.html")
    cli("ingest", str(write_article(tmp_path / "a.html", [(gone, DRIFT_CLAIM)])), "--db", db)
    crawl(db)
    code, out = resolve(gone, "--replacement", replacement, "--db", db, "--format", "json")
    assert code == 0
    assert json.loads(out)["resolved_flags"] == [{"status": "dead", "resolution": f"replaced by {replacement}"}]
    assert broken(db) == []
    crawl(db)
    code, out = cli("verify", "--db", db, "--format", "json")
    assert [(row["reference"], row["verdict"]) for row in json.loads(out)["results"]] == [(1, "supported")]
    code, out = cli("sources", "list", "--db", db, "--format", "json")
    assert {row["url"]: row["status"] for row in json.loads(out)}[replacement] == "ok"


def test_editor_note_resolves_and_bad_usage_is_refused(mockserver, tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'n.db'}"
    gone = mockserver.url("/status/404")
    cli("ingest", str(write_article(tmp_path / "a.html", [(gone, "A claim.")])), "--db", db)
    crawl(db)
    code, out = resolve(gone, "--note", "retracted by the outlet; kept on purpose", "--db", db)
    assert (code, out.strip()) == (0, f"{gone}: note recorded; 1 open flag(s) resolved")
    assert broken(db) == []
    assert resolve(gone, "--db", db)[0] == 2
    assert "--replacement NEW_URL or --note" in capsys.readouterr().err
    assert resolve("http://127.0.0.1:1/unknown", "--note", "x", "--db", db)[0] == 1
    assert "no source" in capsys.readouterr().err
