"""Bad input to every command gets one line on stderr and the documented exit code, never a traceback."""

from __future__ import annotations

import pytest

from crawler.cli import main


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
