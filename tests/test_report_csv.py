"""``citetrack report --format csv``: one parseable row per check, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json

import pytest

from crawler.cli import main
from crawler.report.csv import COLUMNS
from tests.reportdata import AGENCY_TEXT, HOSTILE_CLAIM, NTIA_ARCHIVE, NTIA_DOI, add_contradiction, populate


def csv_rows(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, str]]:
    assert main(["report", *argv, "--format", "csv"]) == 0
    reader = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def test_csv_has_one_row_per_check_with_quotes_and_commas_intact(db_url: str, capsys) -> None:
    data = populate(db_url)
    rows = csv_rows(capsys, str(data.article_id), "--db", db_url)
    assert [(row["claim_index"], row["reference"]) for row in rows] == [
        ("1", "1"),
        ("1", "2"),
        ("2", "2"),
        ("3", "1"),
        ("3", "3"),
        ("4", "4"),
        ("4", "9"),
    ]
    assert rows[2]["claim"] == HOSTILE_CLAIM
    assert rows[0]["verdict"] == "supported" and float(rows[0]["score"]) == 91.0
    assert rows[0]["role"] == "carries" and rows[1]["role"] == "adds_nothing"
    assert rows[0]["evidence_start"] == "9" and rows[0]["verified_at"] == "2026-06-01T12:00:00+00:00"
    assert (rows[6]["verdict"], rows[6]["reason"], rows[6]["score"]) == ("unavailable", "dangling", "")


def test_csv_gives_a_contradicted_check_its_conflicts_with_both_spans(db_url: str, capsys) -> None:
    data = populate(db_url)
    add_contradiction(db_url, data)
    rows = csv_rows(capsys, str(data.article_id), "--db", db_url)
    contradicted = [row for row in rows if row["verdict"] == "contradicted"]
    assert [(row["claim_index"], row["reference"], row["role"]) for row in contradicted] == [("5", "5", "contradicts")]
    [conflict] = json.loads(contradicted[0]["conflicts"])
    assert conflict["kind"] == "negation" and conflict["claim"]["text"] == "restricting"
    source = conflict["source"]
    assert AGENCY_TEXT[source["start"] : source["end"]] == source["text"] == "against restricting"
    assert all(row["conflicts"] == "" for row in rows if row["verdict"] != "contradicted")


def test_csv_rows_carry_the_references_archived_copy_and_identifiers(sqlite_url: str, capsys) -> None:
    data = populate(sqlite_url)
    rows = csv_rows(capsys, str(data.article_id), "--db", sqlite_url)
    ntia = rows[0]
    assert (ntia["archive_url"], ntia["archive_captured_at"], ntia["doi"]) == (
        NTIA_ARCHIVE, "2026-01-15T09:30:00+00:00", NTIA_DOI,
    )  # fmt: skip
    assert rows[1]["archive_url"] == "" and rows[1]["doi"] == ""


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(sqlite_url: str, capsys) -> None:
    from store.engine import session_factory
    from store.models import Claim

    data = populate(sqlite_url)
    with session_factory(sqlite_url).begin() as session:
        session.get(Claim, data.claim_ids[0]).text = '=HYPERLINK("http://evil.example","x")'
    rows = csv_rows(capsys, str(data.article_id), "--db", sqlite_url)
    assert rows[0]["claim"] == '\'=HYPERLINK("http://evil.example","x")'
