"""An interrupted crawl (SIGTERM) leaves the store consistent, and the next run finishes what is left."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from store.engine import session_factory
from store.models import Check, Snapshot, Source
from tests.crawling import FAST, add_sources, crawl
from tests.mockserver import MockServer

SOURCES = 5
MAIN = "import sys; from crawler.cli import main; sys.exit(main(sys.argv[1:]))"


def _checks(db_url: str) -> int:
    with session_factory(db_url).begin() as session:
        return session.scalar(select(func.count(Check.id))) or 0


def _wait_for_checks(db_url: str, process: subprocess.Popen[str], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while _checks(db_url) == 0:
        assert process.poll() is None, "the crawl ended before it could be interrupted"
        assert time.monotonic() < deadline, "no check was stored in time"
        time.sleep(0.1)


def test_sigterm_leaves_a_consistent_store_and_the_next_run_finishes(db_url: str, mockserver: MockServer) -> None:
    urls = [mockserver.url(f"/delay/0.5?interrupt={n}") for n in range(SOURCES)]
    add_sources(db_url, urls)
    serial = ("-s", "CONCURRENT_REQUESTS=1", "-s", "CITETRACK_STORE_BATCH=1")
    command = [
        sys.executable,
        "-c",
        MAIN,
        "crawl",
        "--db",
        db_url,
        "--allow-private",
        "--format",
        "json",
        *FAST,
        *serial,
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as process:
        _wait_for_checks(db_url, process)
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)

    assert process.returncode == 130
    interrupted = json.loads(out)
    assert interrupted["interrupted"] is True
    assert 1 <= len(interrupted["sources"]) < SOURCES
    assert interrupted["not_checked"] == SOURCES - len(interrupted["sources"])
    with session_factory(db_url).begin() as session:
        checked = set(session.scalars(select(Check.source_id)))
        assert checked == set(session.scalars(select(Source.id).where(Source.last_checked_at.is_not(None))))
        snapshot_ids = set(session.scalars(select(Snapshot.id)))
        assert snapshot_ids == set(session.scalars(select(Check.snapshot_id).where(Check.snapshot_id.is_not(None))))

    code, resumed = crawl(db_url, "--allow-private")

    assert code == 0
    assert {row["url"] for row in resumed["sources"]} == set(urls) - {row["url"] for row in interrupted["sources"]}
    with session_factory(db_url).begin() as session:
        per_source = session.execute(select(Check.source_id, func.count(Check.id)).group_by(Check.source_id)).all()
    assert sorted(count for _, count in per_source) == [1] * SOURCES
