"""``citetrack stats``: the store's totals on the terminal and as JSON, and one-line errors."""

from __future__ import annotations

import json

from crawler.cli import main
from tests.reportdata import add_contradiction, populate


def test_stats_json_counts_the_whole_store(db_url: str, capsys) -> None:
    add_contradiction(db_url, populate(db_url))
    assert main(["stats", "--format", "json", "--db", db_url]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["articles"], stats["claims"], stats["checks"], stats["sources"]) == (2, 5, 8, 4)
    assert stats["verdicts"] == {"supported": 2, "partial": 1, "not_found": 1, "contradicted": 1, "unavailable": 3}
    assert stats["source_statuses"] == {"dead": 1, "ok": 3}
    assert stats["problem_sources"] == {"open": 1, "confirmed": 1, "unconfirmed": 0}
    assert stats["last_crawl"] == "2026-06-01T12:00:00+00:00" and stats["snapshots"] == 5


def test_stats_table_shows_each_verdict_with_a_bar_and_the_last_crawl(sqlite_url: str, capsys) -> None:
    populate(sqlite_url)
    assert main(["stats", "--db", sqlite_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "articles         2" in lines and "last crawl       2026-06-01 12:00 UTC" in lines
    assert "problem sources  1 open: 1 confirmed, 0 not yet confirmed" in lines
    bars = {line.split()[0]: line for line in lines if line.startswith("  ")}
    assert bars["supported"].split()[1:] == ["2", "#" * 20] and bars["unavailable"].endswith("#" * 30)
    assert bars["dead"].split()[1] == "1" and bars["ok"].split()[1] == "2"


def test_stats_of_an_empty_store_say_never_crawled(sqlite_url: str, capsys) -> None:
    assert main(["stats", "--db", sqlite_url]) == 0
    out = capsys.readouterr().out
    assert "last crawl       never" in out and "checks by verdict (0)" in out and "  (none)" in out


def test_stats_on_an_unusable_database_fail_with_one_line(tmp_path, capsys) -> None:
    assert main(["stats", "--db", f"sqlite:///{tmp_path}/missing/dir/x.db"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("citetrack stats: error: cannot use the database") and err.count("\n") == 1


def test_stats_refuses_an_unknown_format(capsys) -> None:
    assert main(["stats", "--format", "csv"]) == 2
    assert "invalid choice" in capsys.readouterr().err
