"""The cron lock: a second overlapping ``crawl --due`` exits 75 at once with one line; a killed run frees the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from crawler.cli import EXIT_LOCKED, main
from store.engine import get_engine
from store.errors import StoreLocked
from store.lock import run_lock
from tests.crawling import add_sources

REPO = Path(__file__).resolve().parents[1]
# A process that holds the cron lock until it is killed (what a long crawl --due does).
HOLDER = """
import sys, time
from store.lock import run_lock
with run_lock(sys.argv[1], "crawl --due"):
    print("locked", flush=True)
    time.sleep(120)
"""


@contextmanager
def holder_killed_after(db_url: str) -> Iterator[subprocess.Popen[str]]:
    """Run a process that holds the cron lock; SIGKILL it when the block ends (a crashed crawl)."""
    with subprocess.Popen([sys.executable, "-c", HOLDER, db_url], cwd=REPO, stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            yield holder
        finally:
            os.kill(holder.pid, signal.SIGKILL)


def test_the_lock_is_exclusive_per_name_and_free_again_after_the_block(db_url: str) -> None:
    get_engine(db_url)
    with run_lock(db_url, "crawl --due"):
        with pytest.raises(StoreLocked, match="another run holds the 'crawl --due' lock"), run_lock(db_url, "crawl --due"):
            pass
        with run_lock(db_url, "other"):
            pass
    with run_lock(db_url, "crawl --due"):
        pass


def test_an_overlapping_crawl_due_exits_75_at_once_and_a_killed_run_leaves_no_lock(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    add_sources(db_url, ["http://127.0.0.1:9/never-fetched"])
    with holder_killed_after(db_url):
        started = time.monotonic()
        assert main(["crawl", "--due", "--db", db_url]) == EXIT_LOCKED == 75
        assert time.monotonic() - started < 5
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("citetrack crawl: error: another run holds the 'crawl --due' lock")
        assert main(["crawl", "--due", "3", "--db", db_url]) == 75, "the DAYS form is a cron run too"
        capsys.readouterr()
    deadline = time.monotonic() + 10
    while True:  # PostgreSQL ends the killed holder's session (and its advisory lock) within moments
        try:
            with run_lock(db_url, "crawl --due"):
                break
        except StoreLocked:
            assert time.monotonic() < deadline, "the killed run's lock was never released"
            time.sleep(0.2)


def test_the_sqlite_lock_is_a_file_beside_the_database(sqlite_url: str) -> None:
    get_engine(sqlite_url)
    with run_lock(sqlite_url, "crawl --due"):
        assert Path(sqlite_url.removeprefix("sqlite:///") + ".crawl-due.lock").exists()


def test_the_crawl_child_refuses_to_crawl_when_the_lock_is_held(sqlite_url: str) -> None:
    add_sources(sqlite_url, ["http://127.0.0.1:9/never-fetched"])
    with holder_killed_after(sqlite_url):
        child = subprocess.run(
            [sys.executable, "-m", "crawler.crawlrun", "--all", "--lock", "crawl --due"], cwd=REPO,
            env={**os.environ, "CITETRACK_DB": sqlite_url}, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert child.returncode == 75 and "another run holds the 'crawl --due' lock" in child.stderr
