"""Citations per claim and per article are bounded: a page of range markers is refused, not stored row by row."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.exceptions import InputTooLarge
from crawler.ingest import parse_article
from crawler.ingest.article import MAX_CITATIONS_PER_ARTICLE, MAX_CITATIONS_PER_CLAIM

SOURCES = "\nSources\n" + "".join(f"{n}. Outlet, Title {n} https://example.org/{n}\n" for n in range(1, 151))


def test_a_claim_citing_more_than_the_bound_is_refused() -> None:
    text = "The budget rose sharply last year [1-50][51-100][101-150].\n" + SOURCES
    with pytest.raises(InputTooLarge, match=f"claim 1 cites 150 sources; at most {MAX_CITATIONS_PER_CLAIM}"):
        parse_article(text.encode(), filename="a.txt")


def test_an_article_of_range_markers_is_refused_quickly_in_one_line(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    claims = "".join(f"Claim number {n} says something about the budget [1-50].\n" for n in range(3000))
    path = tmp_path / "ranges.txt"
    path.write_text(claims + SOURCES, encoding="utf-8")
    assert path.stat().st_size > 150_000
    started = time.monotonic()
    assert main(["ingest", str(path), "--db", sqlite_url]) == 1
    assert time.monotonic() - started < 10
    err = capsys.readouterr().err
    assert err == f"citetrack ingest: error: the article has over {MAX_CITATIONS_PER_ARTICLE:,} citations (claim × cited number); split it, or check its markers\n"


def test_an_article_within_the_bounds_is_stored_whole(tmp_path: Path, sqlite_url: str) -> None:
    claims = "".join(f"Claim number {n} says something about the budget [1-50].\n" for n in range(100))
    path = tmp_path / "ranges.txt"
    path.write_text(claims + SOURCES, encoding="utf-8")
    assert main(["ingest", str(path), "--db", sqlite_url]) == 0
