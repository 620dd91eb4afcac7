"""The crawl child: killed with SIGKILL it is reported as interrupted, its -s options are checked, and it never
sees the database URL on its command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.cli import main
from store.engine import session_factory
from store.models import Check
from tests.crawling import FAST, add_sources, crawl
from tests.mockserver import MockServer

MAIN = "import sys; from crawler.cli import main; sys.exit(main(sys.argv[1:]))"
SOURCES = 12


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def wait_for(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def checks_stored(db_url: str) -> int:
    with session_factory(db_url).begin() as session:
        return session.scalar(select(func.count(Check.id))) or 0


def test_a_killed_crawl_child_ends_its_workers_and_is_reported_interrupted(db_url: str, mockserver: MockServer) -> None:
    urls = [mockserver.url(f"/delay/0.5?killed={n}") for n in range(SOURCES)]
    add_sources(db_url, urls)
    serial = ("-s", "CONCURRENT_REQUESTS=1", "-s", "CITETRACK_STORE_BATCH=1", "-s", "CITETRACK_EXTRACT_WORKERS=2")
    command = [sys.executable, "-c", MAIN, "crawl", "--db", db_url, "--allow-private", "--format", "json", *FAST, *serial]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as parent:
        wait_for(lambda: checks_stored(db_url) > 0)
        (child,) = [pid for pid in children(parent.pid) if "crawler.crawlrun" in command_line(pid)]
        assert db_url not in command_line(child)
        workers = children(child)
        assert workers, "the extraction pool should be running"
        os.kill(child, signal.SIGKILL)
        out, _ = parent.communicate(timeout=30)
    assert parent.returncode == 130
    summary = json.loads(out)
    assert summary["interrupted"] is True and summary["not_checked"] > 0
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10)

    code, resumed = crawl(db_url, "--allow-private")
    assert code == 0 and resumed["not_checked"] == 0
    assert checks_stored(db_url) == SOURCES


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("DOWNLOAD_TIMOUT=5", "no such setting"),
        ("DOWNLOAD_TIMEOUT=abc", "expected a whole number"),
        ("DOWNLOAD_DELAY=soon", "expected a number"),
        ("ROBOTSTXT_OBEY=maybe", "expected 0, 1, true or false"),
        ("LOG_LEVEL", "expected NAME=VALUE"),
    ],
)
def test_a_bad_setting_override_is_a_one_line_usage_error_before_anything_runs(
    override: str, message: str, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["crawl", "--db", sqlite_url, "-s", override]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and err.startswith("citetrack crawl: error: -s ")
