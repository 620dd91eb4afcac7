"""``citetrack report`` (table): one row per claim × citation with outlet, verdict, score, role and evidence."""

from __future__ import annotations

import pytest

from crawler.cli import main
from tests.reportdata import populate


def table_lines(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    assert main(["report", *argv]) == 0
    return capsys.readouterr().out.splitlines()


def test_table_has_one_row_per_claim_and_citation_then_a_summary(db_url: str, capsys) -> None:
    data = populate(db_url)
    lines = table_lines(capsys, str(data.article_id), "--db", db_url)
    assert lines[0].split() == ["#", "claim", "ref", "outlet", "verdict", "score", "role", "evidence"]
    rows = lines[2:-1]
    assert len(rows) == 7
    assert rows[0].startswith("1  The NTIA said") and "[1]" in rows[0] and "supported" in rows[0]
    assert "91" in rows[0] and "carries" in rows[0] and "The government should not restrict" in rows[0]
    assert "adds_nothing" in rows[1]
    assert "dangling" in rows[6] and "[9]" in rows[6]
    assert lines[-1] == (
        "4 claims, 7 checks: 2 supported, 1 partial, 1 not_found, 3 unavailable; citation recall 0.50, precision 0.29"
    )


def test_table_cells_stay_on_one_line(sqlite_url: str, capsys) -> None:
    data = populate(sqlite_url)
    lines = table_lines(capsys, str(data.article_id), "--db", sqlite_url)
    assert len(lines) == 2 + 7 + 1


def test_table_only_unsupported_says_what_it_shows(sqlite_url: str, capsys) -> None:
    data = populate(sqlite_url)
    lines = table_lines(capsys, str(data.article_id), "--only", "unsupported", "--db", sqlite_url)
    assert {line.split()[0] for line in lines[2:-1]} == {"3", "4"}
    assert lines[-1].endswith("; showing 2 unsupported claims")


def test_article_without_claims_prints_an_empty_table_and_a_summary(sqlite_url: str, capsys) -> None:
    data = populate(sqlite_url)
    lines = table_lines(capsys, str(data.other_article_id), "--db", sqlite_url)
    assert len(lines) == 3
    assert lines[-1] == "0 claims, 0 checks: 0 supported, 0 partial, 0 not_found, 0 unavailable"
