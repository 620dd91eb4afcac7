"""``citetrack report`` (table): one row per claim × citation with outlet, verdict, score, role and evidence."""

from __future__ import annotations

import pytest

from crawler.cli import main
from tests.reportdata import NTIA_DOI, add_contradiction, populate


def table_lines(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    assert main(["report", *argv]) == 0
    return capsys.readouterr().out.splitlines()


def test_table_has_one_row_per_claim_and_citation_then_a_summary(db_url: str, capsys) -> None:
    data = populate(db_url)
    lines = table_lines(capsys, str(data.article_id), "--db", db_url)
    assert lines[0].split() == ["#", "claim", "ref", "outlet", "verdict", "score", "role", "evidence"]
    rows = lines[2:9]
    assert len(rows) == 7 and lines[9] == ""
    assert rows[0].startswith("1  The NTIA said") and "[1]" in rows[0] and "supported" in rows[0]
    assert "91" in rows[0] and "carries" in rows[0] and "The government should not restrict" in rows[0]
    assert "adds_nothing" in rows[1]
    assert "dangling" in rows[6] and "[9]" in rows[6]
    assert lines[-1] == (
        "4 claims, 7 checks: 2 supported, 1 partial, 1 not_found, 0 contradicted, 3 unavailable; "
        "citation recall 0.50, precision 0.29"
    )


def test_table_cells_stay_on_one_line(sqlite_url: str, capsys) -> None:
    data = populate(sqlite_url)
    lines = table_lines(capsys, str(data.article_id), "--db", sqlite_url)
    assert len(lines) == 2 + 7 + 1 + 4 + 1 + 1  # checks, archived copies and identifiers, summary


def test_table_lists_each_conflict_of_a_contradicted_check_with_both_spans(sqlite_url: str, capsys) -> None:
    data = populate(sqlite_url)
    add_contradiction(sqlite_url, data)
    lines = table_lines(capsys, str(data.article_id), "--db", sqlite_url)
    assert "contradicted" in lines[9] and "contradicts" in lines[9]
    start = lines.index("#  ref  conflict  claim says   claim span  source says          source span")
    assert lines[start + 2].split() == ["5", "[5]", "negation", "restricting", "23:34", "against", "restricting", "58:77"]
    assert "1 contradicted" in lines[-1]


def test_table_shows_archived_copies_with_their_capture_date_and_identifiers(sqlite_url: str, capsys) -> None:
    data = populate(sqlite_url)
    lines = table_lines(capsys, str(data.article_id), "--db", sqlite_url)
    start = lines.index(next(line for line in lines if line.startswith("ref  archived copy")))
    ntia, gone = lines[start + 2], lines[start + 3]
    assert ntia.startswith("[1]  https://web.archive.org/web/20260115093000/") and "(2026-01-15)" in ntia
    assert ntia.endswith(f"doi:{NTIA_DOI}")
    assert gone.startswith("[3]  https://web.archive.example/web/2026/https://gone.example/paper")


def test_table_only_unsupported_says_what_it_shows(sqlite_url: str, capsys) -> None:
    data = populate(sqlite_url)
    lines = table_lines(capsys, str(data.article_id), "--only", "unsupported", "--db", sqlite_url)
    assert {line.split()[0] for line in lines[2:6]} == {"3", "4"} and lines[6] == ""
    assert lines[-1].endswith("; showing 2 unsupported claims")


def test_article_without_claims_prints_an_empty_table_and_a_summary(sqlite_url: str, capsys) -> None:
    data = populate(sqlite_url)
    lines = table_lines(capsys, str(data.other_article_id), "--db", sqlite_url)
    assert len(lines) == 3
    assert lines[-1] == "0 claims, 0 checks: 0 supported, 0 partial, 0 not_found, 0 contradicted, 0 unavailable"
