"""``citetrack demo``: the whole pipeline on the bundled site, end to end, with every source case visible."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from crawler.cli import main


def test_demo_runs_the_pipeline_and_reports_every_source_case(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "demo"
    own_db = db_url.startswith("sqlite")  # SQLite: the demo's own database; PostgreSQL: through --db
    started = time.monotonic()
    assert main(["demo", "--output", str(output), *([] if own_db else ["--db", db_url])]) == 0
    elapsed = time.monotonic() - started
    printed = capsys.readouterr().out
    assert elapsed < 60
    for heading in ("ingest", "crawl its sources", "verify each claim", "crawl again", "broken sources", "report"):
        assert f"== {heading}" in printed
    assert re.search(r"^drifted\s+\S+.*/drift/demo-ntia", printed, re.MULTILINE)
    assert re.search(r"^paywalled\s+.*/news/regulators-weigh-licences\.html", printed, re.MULTILINE)
    assert re.search(r"^dead\s+.*/papers/local-cluster-energy-stud.*/web/2026", printed, re.MULTILINE)
    assert re.search(r"^11 claims, 12 checks: \d+ supported, .*citation recall", printed, re.MULTILINE)
    html = output / "report.html"
    assert f"HTML report: {html}" in printed
    database = f"sqlite:///{output / 'demo.db'}" if own_db else db_url
    assert f"citetrack serve --db {database}" in printed
    assert "Open Weights, Open Labs" in html.read_text(encoding="utf-8")

    assert main(["report", "1", "--format", "json", "--db", database]) == 0
    report = json.loads(capsys.readouterr().out)
    references = {ref["number"]: ref for ref in report["references"]}
    assert references[1]["status"] == "ok"
    assert references[4]["status"] == "paywalled"
    assert references[5]["status"] == "dead" and "/web/20260301120000/" in references[5]["archive_url"]
    assert references[6]["flag"] == "drifted"
    assert references[7]["status"] == "unresolved"
    verdicts = {claim["index"]: claim["verdict"] for claim in report["claims"]}
    assert verdicts[1] == verdicts[3] == verdicts[6] == "supported"
    assert verdicts[8] == verdicts[9] == verdicts[11] == "unavailable"
    assert verdicts[10] != "supported"  # the drifted page no longer supports the NTIA claim
    second = report["claims"][1]
    # [3] mentions restricting releases only hypothetically ("what restricting releases would cost"): no conflict
    # with "rather than restrict", and it does not carry the claim either.
    assert [check["role"] for check in second["checks"]] == ["carries", "adds_nothing"]
    # The review's landing page only links to its PDF: the evidence is the PDF's text.
    assert "Recommendation 1" in second["checks"][0]["evidence"][0]["text"]


def test_demo_refuses_a_non_empty_output_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("user data", encoding="utf-8")
    assert main(["demo", "--output", str(tmp_path)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert [path.name for path in tmp_path.iterdir()] == ["keep.txt"]
