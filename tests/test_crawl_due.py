"""``crawl --due`` fetches exactly what the due policy makes due, schedules each source's next check, then runs
the health pass and verifies what changed; ``citetrack due`` lists the same sources."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from crawler.cli import main
from store.base import utcnow
from store.engine import session_factory
from store.models import Source
from tests.crawling import add_sources, by_url, crawl
from tests.mockserver import MockServer

BLOG = "/blog/eu-ai-act-open-source.html"
JOURNAL = "/journal/open-weights-global-south.html"


def next_checks(db_url: str) -> dict[str, object]:
    with session_factory(db_url).begin() as session:
        return {url: when for url, when in session.execute(select(Source.url, Source.next_check_at))}


def due_json(db_url: str) -> list[dict[str, object]]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["due", "--db", db_url, "--format", "json"]) == 0
    return json.loads(out.getvalue())


def test_crawl_due_fetches_what_is_due_schedules_it_and_then_nothing_is_due(
    db_url: str, mockserver: MockServer
) -> None:
    blog, journal, gone = mockserver.url(BLOG), mockserver.url(JOURNAL), mockserver.url("/status/404")
    add_sources(db_url, [blog, journal, gone])
    assert [row["reason"] for row in due_json(db_url)] == ["never_checked"] * 3
    before = utcnow()
    code, summary = crawl(db_url, "--due", "--allow-private", "-s", "CITETRACK_RECHECK_DAYS_BY_HOST={\"127.0.0.1\": 2}")
    after = utcnow()
    assert code == 0 and sorted(by_url(summary)) == sorted([blog, journal, gone])
    assert summary["health"]["unconfirmed"] == 1 and summary["verify"]["verified"] == 0  # no claims cite them
    scheduled = next_checks(db_url)
    assert before + timedelta(days=2) <= scheduled[blog] <= after + timedelta(days=2)  # the host's override
    assert before + timedelta(days=3) <= scheduled[gone] <= after + timedelta(days=3)  # the confirmation spacing
    assert due_json(db_url) == []

    code, summary = crawl(db_url, "--due", "--allow-private")
    assert (code, summary["sources"], summary["not_checked"]) == (0, [], 0)

    with session_factory(db_url).begin() as session:
        session.execute(update(Source).where(Source.url == journal).values(next_check_at=utcnow() - timedelta(hours=1)))
    (row,) = due_json(db_url)
    assert (row["url"], row["reason"], row["due_now"]) == (journal, "recheck", True)
    code, summary = crawl(db_url, "--due", "--allow-private")
    assert code == 0 and list(by_url(summary)) == [journal] and by_url(summary)[journal]["outcome"] == "unchanged"


@pytest.mark.parametrize(
    "override", ['CITETRACK_RECHECK_DAYS_BY_HOST={"a.test": 0}', "CITETRACK_RECHECK_DAYS=0"]
)
def test_a_due_policy_it_cannot_use_is_bad_usage(sqlite_url: str, override: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["crawl", "--due", "--db", sqlite_url, "-s", override]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "must be" in err


def test_due_days_keeps_its_meaning_and_rejects_a_negative_number(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["crawl", "--due", "abc", "--db", sqlite_url]) == 2
    assert "--due takes a number of days >= 0, not 'abc'" in capsys.readouterr().err


def test_due_lists_with_a_limit_and_within_days(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    add_sources(sqlite_url, ["https://a.test/1", "https://a.test/2", "https://a.test/3"])
    with session_factory(sqlite_url).begin() as session:
        session.execute(update(Source).where(Source.url == "https://a.test/3").values(next_check_at=utcnow() + timedelta(days=2)))
    capsys.readouterr()
    assert main(["due", "--db", sqlite_url, "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "https://a.test/1" in out and "https://a.test/2" not in out and "1 source(s) due" in out
    assert main(["due", "--db", sqlite_url, "--within", "3", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(row["url"], row["due_now"]) for row in rows] == [
        ("https://a.test/1", True), ("https://a.test/2", True), ("https://a.test/3", False)]  # fmt: skip
    assert main(["due", "--db", sqlite_url, "--limit", "-1"]) == 2
