"""Bad input to every command gets one line on stderr and the documented exit code, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.fetch import USER_AGENT
from crawler.jobs.archive import archive_fetcher, find_archived_copy
from crawler.netguard import AddressPolicy
from tests.mockserver.hostile import HostileServer


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(
    "argv",
    [
        ["claims", "99999999999999999999999"],
        ["report", "3000000000"],
        ["crawl", "--article", "99999999999999999999999"],
        ["verify", "--article", "0"],
        ["sources", "set-url", "1", "-4", "https://example.org/"],
        ["extract", "--all", "--workers", "-3"],
    ],
    ids=["claims-huge-id", "report-int32-overflow", "crawl-huge-id", "verify-zero-id", "set-url-negative", "workers"],
)
def test_an_out_of_range_number_is_a_one_line_usage_error(
    argv: list[str], sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--db", sqlite_url]) == 2
    err = one_line(capsys.readouterr().err)
    assert "is not a whole number" in err and "--help" in err


def test_an_empty_claim_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--claim", "  ", "--source", "whatever.txt"]) == 2
    assert "--claim is empty" in one_line(capsys.readouterr().err)


def test_a_batch_line_that_is_not_utf8_gets_an_error_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = {"id": 2, "claim": "Fares rose by 3 per cent.", "text": "In May, fares rose by 3 per cent."}
    batch = tmp_path / "claims.jsonl"
    batch.write_bytes(b'{"id": 1, "claim": "caf\xe9", "text": "x"}\n' + json.dumps(good).encode() + b"\n")
    assert main(["check", "--batch", str(batch)]) == 1
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first == {"id": None, "error": "line 1 is not UTF-8 (invalid continuation byte at byte 23)"}
    assert second["id"] == 2 and second["verdict"] == "supported"


@pytest.mark.parametrize(
    "answer",
    [
        b"[1, 2]",
        b'{"archived_snapshots": [{"closest": {}}]}',
        b'{"archived_snapshots": {"closest": "soon"}}',
        b'{"archived_snapshots": {"closest": {"available": true, "status": "200", "timestamp": "20200101", "url": 5}}}',
        b"\xff not json",
    ],
    ids=["list", "snapshots-list", "closest-string", "url-number", "not-json"],
)
def test_an_archive_answer_of_an_unexpected_shape_is_that_sources_error(hostile_server: HostileServer, answer: bytes) -> None:
    path = f"/odd-archive-{abs(hash(answer))}"
    hostile_server.add(f"{path}/wayback/available", answer, [("Content-Type", "application/json")])
    base = hostile_server.url(path)
    result = find_archived_copy("https://gone.example/a", [], target=None, limit=None, base_url=base,
                                fetch=archive_fetcher(AddressPolicy(allow_private=True), USER_AGENT))  # fmt: skip
    assert not result.usable and result.reason.startswith("archive lookup failed: ")
