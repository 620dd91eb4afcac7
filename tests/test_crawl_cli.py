"""The crawl and extract commands: source selection, table output, the extraction pool, ``scrapy crawl``."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from crawler.cli import main
from store.base import utcnow
from store.engine import session_factory
from store.models import Flag, Snapshot, Source
from tests.crawling import (
    FAST,
    add_article,
    add_sources,
    by_url,
    checks,
    crawl,
    snapshots,
)
from tests.mockserver import MockServer

REPO = Path(__file__).resolve().parents[1]
BLOG = "/blog/eu-ai-act-open-source.html"
JOURNAL = "/journal/open-weights-global-south.html"
REPORT = "/gov/reports/open-model-weights/"


def test_article_option_crawls_only_its_sources_with_an_honest_user_agent(
    sqlite_url: str, mockserver: MockServer
) -> None:
    mockserver.reset()  # the request log is shared by the session: look only at this crawl's requests
    article_id = add_article(sqlite_url, [mockserver.url(BLOG)])
    add_sources(sqlite_url, [mockserver.url(JOURNAL)])
    contact = "https://newsroom.example/about-our-bot"
    code, summary = crawl(
        sqlite_url, "--allow-private", "--article", str(article_id), "-s", f"CITETRACK_CONTACT_URL={contact}"
    )
    assert code == 0
    assert list(by_url(summary)) == [mockserver.url(BLOG)]
    assert checks(sqlite_url, mockserver.url(JOURNAL)) == []
    agents = {r["headers"].get("User-Agent") for r in mockserver.requests() if r["path"] == BLOG}
    assert agents and all(agent.startswith("citetrack/") and contact in agent for agent in agents)


def test_nothing_due_reports_zero_without_crawling(sqlite_url: str) -> None:
    code, summary = crawl(sqlite_url)
    assert code == 0
    assert (summary["fetched"], summary["unchanged"], summary["failed"], summary["sources"]) == (0, 0, 0, [])


def test_unknown_source_is_a_one_line_error(sqlite_url: str, capsys) -> None:
    assert main(["crawl", "--db", sqlite_url, "--source", "https://nowhere.example/x"]) == 1
    assert capsys.readouterr().err.strip() == "citetrack crawl: error: no source with URL https://nowhere.example/x"


def test_source_option_with_extraction_workers_prints_a_table(sqlite_url: str, mockserver: MockServer, capsys) -> None:
    url = mockserver.url(REPORT)
    add_sources(sqlite_url, [url, mockserver.url(BLOG)])
    args = ["crawl", "--db", sqlite_url, "--allow-private", "--source", url, *FAST, "-s", "CITETRACK_EXTRACT_WORKERS=2"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert url in out and "fetched 1, unchanged 0, failed 0" in out
    (snapshot,) = snapshots(sqlite_url, url)
    assert "362 public comments" in snapshot.text
    assert checks(sqlite_url, mockserver.url(BLOG)) == []


def test_scrapy_crawl_sources_does_the_same_job(sqlite_url: str, mockserver: MockServer) -> None:
    """Fetch, extract, store and the health pass, with ``-s`` and environment settings read as citetrack reads them."""
    url, gone = mockserver.url(BLOG), mockserver.url("/status/404")
    add_sources(sqlite_url, [url, gone])
    env = {**os.environ, "CITETRACK_DB": sqlite_url, "CITETRACK_ALLOW_PRIVATE": "1", "CITETRACK_CONFIRM_CHECKS": "5"}
    command = [sys.executable, "-m", "scrapy", "crawl", "sources", "-a", "all=1", "-s", "LOG_LEVEL=ERROR", *FAST,
               "-s", "CITETRACK_CONFIRM_CHECKS=1"]  # fmt: skip
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    (snapshot,) = snapshots(sqlite_url, url)
    assert "AI Act" in snapshot.text
    assert [check.outcome for check in checks(sqlite_url, url)] == ["fetched"]
    with session_factory(sqlite_url).begin() as session:
        flags = [(flag.status, flag.confirmed) for flag in session.scalars(select(Flag))]
    assert flags == [("dead", True)], "the health pass ran, confirming with -s CITETRACK_CONFIRM_CHECKS=1"


def test_confirmation_settings_from_the_command_line_reach_the_health_pass(
    sqlite_url: str, mockserver: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITETRACK_CONFIRM_CHECKS", "5")
    add_sources(sqlite_url, [mockserver.url("/status/410")])
    code, summary = crawl(sqlite_url, "--allow-private")
    assert (code, summary["health"].get("unconfirmed"), summary["health"].get("confirmed")) == (0, 1, None)
    confirm = ("-s", "CITETRACK_CONFIRM_CHECKS=2", "-s", "CITETRACK_CONFIRM_SPACING_DAYS=0")
    code, summary = crawl(sqlite_url, "--all", "--allow-private", *confirm)
    assert (code, summary["health"].get("confirmed")) == (0, 1)


def test_with_the_health_pass_off_no_flag_is_raised(sqlite_url: str, mockserver: MockServer) -> None:
    add_sources(sqlite_url, [mockserver.url("/status/404")])
    code, summary = crawl(sqlite_url, "--allow-private", "-s", "CITETRACK_HEALTH_PASS_ENABLED=0")
    assert (code, summary["health"], summary["failed_by_reason"]) == (0, {}, {"dead": 1})
    with session_factory(sqlite_url).begin() as session:
        assert session.scalars(select(Flag)).all() == []


def test_with_extraction_off_bodies_are_stored_without_text_until_extract(
    sqlite_url: str, mockserver: MockServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = mockserver.url(BLOG)
    add_sources(sqlite_url, [url])
    code, summary = crawl(sqlite_url, "--allow-private", "-s", "CITETRACK_EXTRACT_ENABLED=false")
    assert (code, summary["fetched"]) == (0, 1)
    (snapshot,) = snapshots(sqlite_url, url)
    assert (snapshot.text, snapshot.body_id is not None) == (None, True)
    capsys.readouterr()
    assert main(["extract", "--all", "--db", sqlite_url, "--workers", "0"]) == 0
    assert "AI Act" in snapshots(sqlite_url, url)[-1].text


def test_extract_reextracts_stored_bodies_into_new_snapshots_keeping_the_old(
    db_url: str, mockserver: MockServer, capsys
) -> None:
    urls = [mockserver.url(BLOG), mockserver.url(REPORT)]
    add_sources(db_url, urls)
    crawl(db_url, "--allow-private")
    with session_factory(db_url).begin() as session:
        session.execute(update(Snapshot).values(text="stale text from an older extractor"))
    requests_before = len(mockserver.requests())

    capsys.readouterr()
    assert main(["extract", "--all", "--db", db_url, "--workers", "0", "--format", "json"]) == 0
    assert '"changed": 2' in capsys.readouterr().out
    assert len(mockserver.requests()) == requests_before
    for url in urls:
        old, new = snapshots(db_url, url)
        assert old.text == "stale text from an older extractor"
        assert new.text != old.text and new.body_id == old.body_id and new.fetched_at == old.fetched_at
    assert "362 public comments" in snapshots(db_url, mockserver.url(REPORT))[-1].text

    assert main(["extract", "--source", urls[0], "--db", db_url, "--workers", "0", "--format", "json"]) == 0
    assert '"changed": 0' in capsys.readouterr().out


def test_due_recrawls_sources_checked_longer_ago_and_those_never_checked(
    sqlite_url: str, mockserver: MockServer
) -> None:
    add_sources(sqlite_url, [mockserver.url(BLOG), mockserver.url(JOURNAL)])
    assert crawl(sqlite_url, "--allow-private")[0] == 0
    add_sources(sqlite_url, [mockserver.url(REPORT)])
    with session_factory(sqlite_url).begin() as session:
        blog = session.scalars(select(Source).where(Source.url == mockserver.url(BLOG))).one()
        blog.last_checked_at = utcnow() - timedelta(days=10)
    code, summary = crawl(sqlite_url, "--allow-private", "--due", "5")
    assert code == 0
    assert sorted(by_url(summary)) == sorted([mockserver.url(BLOG), mockserver.url(REPORT)])


def test_due_with_negative_days_is_bad_usage(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["crawl", "--due", "-1", "--db", sqlite_url]) == 2
    assert "--due" in capsys.readouterr().err
