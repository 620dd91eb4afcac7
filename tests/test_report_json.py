"""``citetrack report --format json``: the issue's stable shape, latest verdicts, unavailable checks, ALCE roles."""

from __future__ import annotations

import json

import pytest

from crawler.cli import main
from tests.reportdata import (
    AGENCY_TEXT,
    CONTRADICTED_CLAIM,
    NTIA_ARCHIVE,
    NTIA_DOI,
    add_contradiction,
    populate,
)

ARTICLE_KEYS = {"id", "url", "title", "published"}
REFERENCE_KEYS = {"number", "outlet", "title", "url", "status", "http_status", "final_url", "fetched_at"}
CLAIM_KEYS = {"id", "index", "text", "citations", "quotes", "checks"}
CHECK_KEYS = {"reference", "verdict", "score", "evidence", "snapshot_id", "verified_at"}


def report_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(["report", *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def checks_by_claim(report: dict) -> dict[int, dict[int, dict]]:
    return {claim["index"]: {check["reference"]: check for check in claim["checks"]} for claim in report["claims"]}


def test_report_json_has_every_contract_field(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = populate(db_url)
    report = report_json(capsys, str(data.article_id), "--db", db_url)
    assert set(report) >= {"article", "references", "claims", "summary"}
    assert set(report["article"]) >= ARTICLE_KEYS
    assert [ref["number"] for ref in report["references"]] == [1, 2, 3, 4]
    assert all(set(ref) >= REFERENCE_KEYS for ref in report["references"])
    assert [claim["index"] for claim in report["claims"]] == [1, 2, 3, 4]
    for claim in report["claims"]:
        assert set(claim) >= CLAIM_KEYS
        assert [check["reference"] for check in claim["checks"]] == claim["citations"]
        assert all(set(check) >= CHECK_KEYS for check in claim["checks"])
    assert report["article"]["published"] == "2026-05-02T12:00:00+00:00"


def test_report_uses_the_latest_verification_and_keeps_evidence_offsets(db_url: str, capsys) -> None:
    data = populate(db_url)
    checks = checks_by_claim(report_json(capsys, str(data.article_id), "--db", db_url))
    newer = checks[3][1]
    assert (newer["verdict"], newer["score"]) == ("partial", 55.0)
    assert newer["evidence"][0]["text"] == "Instead it should monitor risks."
    assert checks[1][1]["verdict"] == "supported" and checks[1][1]["snapshot_id"] is not None


def test_claims_without_usable_text_get_unavailable_checks_with_a_reason(db_url: str, capsys) -> None:
    data = populate(db_url)
    checks = checks_by_claim(report_json(capsys, str(data.article_id), "--db", db_url))
    reasons = {
        (index, ref): check["reason"]
        for index, refs in checks.items()
        for ref, check in refs.items()
        if check["verdict"] == "unavailable"
    }
    assert reasons == {(3, 3): "dead", (4, 4): "unresolved", (4, 9): "dangling"}
    assert checks[4][9]["score"] is None and checks[4][9]["evidence"] == []


def test_citation_roles_and_alce_recall_precision(db_url: str, capsys) -> None:
    data = populate(db_url)
    report = report_json(capsys, str(data.article_id), "--db", db_url)
    checks = checks_by_claim(report)
    assert checks[1][1]["role"] == "carries" and checks[1][2]["role"] == "adds_nothing"
    assert {check["role"] for check in checks[3].values()} == {"insufficient"}
    first = report["claims"][0]
    assert (first["citation_recall"], first["citation_precision"]) == (1, 0.5)
    summary = report["summary"]
    assert summary["verdicts"] == {"supported": 2, "partial": 1, "not_found": 1, "contradicted": 0, "unavailable": 3}
    assert summary["citation_recall"] == 0.5  # claims 1 and 2 of 4
    assert summary["citation_precision"] == round(2 / 7, 4)


def test_quotes_say_which_source_contains_them(db_url: str, capsys) -> None:
    data = populate(db_url)
    report = report_json(capsys, str(data.article_id), "--db", db_url)
    assert report["claims"][1]["quotes"] == [{"text": "monitor", "start": 16, "end": 23, "found_in": [2]}]


@pytest.mark.parametrize(("only", "indexes"), [("unsupported", [3, 4]), ("unavailable", [3, 4]), ("all", [1, 2, 3, 4])])
def test_only_filters_claims_but_summary_counts_the_whole_article(sqlite_url: str, capsys, only, indexes) -> None:
    data = populate(sqlite_url)
    report = report_json(capsys, str(data.article_id), "--only", only, "--db", sqlite_url)
    assert [claim["index"] for claim in report["claims"]] == indexes
    assert report["summary"]["claims"] == 4 and report["summary"]["shown_claims"] == len(indexes)


def test_a_contradicted_check_names_each_conflict_with_both_spans(db_url: str, capsys) -> None:
    data = populate(db_url)
    add_contradiction(db_url, data)
    report = report_json(capsys, str(data.article_id), "--db", db_url)
    check = checks_by_claim(report)[5][5]
    assert set(check) >= CHECK_KEYS and check["verdict"] == "contradicted"
    [conflict] = check["conflicts"]
    assert conflict["kind"] == "negation"
    claim, source = conflict["claim"], conflict["source"]
    assert CONTRADICTED_CLAIM[claim["start"] : claim["end"]] == claim["text"] == "restricting"
    assert AGENCY_TEXT[source["start"] : source["end"]] == source["text"] == "against restricting"
    best = check["evidence"][0]
    assert best["start"] <= source["start"] and source["end"] <= best["end"], "the conflict is in the best passage"
    assert all(other["conflicts"] == [] for claim in report["claims"][:4] for other in claim["checks"])


def test_a_contradicting_citation_is_worse_than_not_found_and_never_carries(db_url: str, capsys) -> None:
    data = populate(db_url)
    add_contradiction(db_url, data)
    report = report_json(capsys, str(data.article_id), "--db", db_url)
    fifth = report["claims"][4]
    assert (fifth["verdict"], fifth["citation_recall"], fifth["citation_precision"]) == ("contradicted", 0, 0.0)
    assert fifth["checks"][0]["role"] == "contradicts"
    summary = report["summary"]
    assert summary["verdicts"]["contradicted"] == 1 and summary["claim_verdicts"]["contradicted"] == 1
    assert summary["citation_recall"] == round(2 / 5, 4)


def test_only_contradicted_keeps_claims_a_citation_contradicts(sqlite_url: str, capsys) -> None:
    data = populate(sqlite_url)
    add_contradiction(sqlite_url, data)
    report = report_json(capsys, str(data.article_id), "--only", "contradicted", "--db", sqlite_url)
    assert [claim["index"] for claim in report["claims"]] == [5]
    assert (report["summary"]["claims"], report["summary"]["shown_claims"]) == (5, 1)
    assert report["summary"]["only"] == "contradicted"


def test_references_carry_the_citations_archived_copy_identifiers_and_the_found_copy(db_url: str, capsys) -> None:
    data = populate(db_url)
    references = {ref["number"]: ref for ref in report_json(capsys, str(data.article_id), "--db", db_url)["references"]}
    ntia = references[1]
    assert (ntia["archive_url"], ntia["archive_captured_at"]) == (NTIA_ARCHIVE, "2026-01-15T09:30:00+00:00")
    assert (ntia["doi"], ntia["group"], ntia["label"], ntia["isbn"]) == (NTIA_DOI, "Sources", None, None)
    found = references[3]  # no copy named by its citation; broken --find-archives found one
    assert found["archive_url"] == "https://web.archive.example/web/2026/https://gone.example/paper"
    assert all({"accessed_at", "published_at", "pmid", "pmcid", "arxiv"} <= set(ref) for ref in references.values())


def test_unknown_article_is_a_one_line_error(sqlite_url: str, capsys) -> None:
    populate(sqlite_url)
    assert main(["report", "999", "--db", sqlite_url]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == "citetrack report: error: no article with id 999"
    assert captured.out == ""


def test_bad_only_value_is_a_usage_error(sqlite_url: str) -> None:
    assert main(["report", "1", "--only", "everything", "--db", sqlite_url]) == 2


def test_output_file_receives_the_report(sqlite_url: str, tmp_path, capsys) -> None:
    data = populate(sqlite_url)
    target = tmp_path / "report.json"
    assert main(["report", str(data.article_id), "--format", "json", "--output", str(target), "--db", sqlite_url]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["article"]["id"] == data.article_id
    assert str(target) in capsys.readouterr().err


def test_unwritable_output_is_an_error_without_traceback(sqlite_url: str, tmp_path, capsys) -> None:
    data = populate(sqlite_url)
    target = tmp_path / "missing-dir" / "report.html"
    assert main(["report", str(data.article_id), "--output", str(target), "--db", sqlite_url]) == 1
    assert "cannot write" in capsys.readouterr().err
