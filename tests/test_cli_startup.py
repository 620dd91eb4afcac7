"""The command line imports only what a command runs: the parser, ``--help``, ``--version`` and usage errors load
no Scrapy, extractor, matching engine, database or web app, and ``crawl --due`` with nothing due starts no crawl."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from crawler.cli import main

# What a command imports when it runs, never when the parser is built (each costs a fraction of a second or more).
HEAVY = ("scrapy", "twisted", "trafilatura", "lxml", "numpy", "rapidfuzz", "sqlalchemy", "alembic", "fastapi",
         "uvicorn", "redis", "crawler.jobs", "crawler.verify", "crawler.web", "crawler.ingest", "store.engine")  # fmt: skip
# What a crawl and the matching engine import: not needed when nothing is due.
CRAWL_AND_MATCHING = ("scrapy", "twisted", "trafilatura", "numpy", "crawler.verify", "crawler.crawlrun")


def _imported(code: str, prefixes: tuple[str, ...]) -> list[str]:
    """Run ``code`` in a fresh interpreter; return the modules under ``prefixes`` it left in ``sys.modules``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    modules = json.loads(done.stdout.splitlines()[-1])
    return [name for name in modules if any(name == p or name.startswith(f"{p}.") for p in prefixes)]


def test_building_the_parser_imports_no_command_work() -> None:
    assert _imported("from crawler.cli import build_parser; build_parser()", HEAVY) == []


@pytest.mark.parametrize(
    "argv",
    [["--version"], ["--help"], ["crawl", "--help"], ["report", "--help"], ["crawl", "--no-such-option"]],
    ids=["version", "help", "crawl-help", "report-help", "usage-error"],
)
def test_version_help_and_usage_errors_import_no_command_work(argv: list[str]) -> None:
    assert _imported(f"from crawler.cli import main; main({argv!r})", HEAVY) == []


def test_crawl_due_with_nothing_due_imports_no_crawl_or_matching_engine(db_url: str) -> None:
    code = f"from crawler.cli import main; assert main(['crawl', '--due', '--format', 'json', '--db', {db_url!r}]) == 0"
    assert _imported(code, CRAWL_AND_MATCHING) == []


def test_opening_an_existing_store_reads_its_revision_without_alembic(db_url: str) -> None:
    assert main(["db", "upgrade", "--db", db_url]) == 0  # the store exists at head; creating one needs Alembic
    code = f"from crawler.cli import main; assert main(['crawl', '--due', '--format', 'json', '--db', {db_url!r}]) == 0"
    assert _imported(code, ("alembic", "mako")) == []
