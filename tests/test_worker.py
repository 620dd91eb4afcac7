"""``citetrack worker`` processes sharing one Redis queue and one PostgreSQL store over a local site of 1,000 pages."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from crawler.cli import main
from tests.databases import backend_url
from tests.mockserver import MockServer
from tests.workers import (
    REDIS_URL,
    add_many_sources,
    check_count,
    queue_keys,
    redis_queue,
    stored_counts,
    worker,
    write_site,
)

# Enough that both workers take a share and that a worker killed a quarter of the way through holds leases; the
# checks are ~6 ms of CPU a page, so each test costs about 6 s of pages plus three worker start-ups.
PAGES = 1000
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[MockServer, list[str]]]:
    """The site of ``PAGES`` pages on a local server, and its page paths."""
    root = tmp_path_factory.mktemp("site")
    paths = write_site(root, PAGES)
    with MockServer(root=root) as server:
        yield server, paths


@pytest.fixture
def crawl(site: tuple[MockServer, list[str]], tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A PostgreSQL store with a source per page, queued on a Redis queue of its own: ``(db_url, queue)``."""
    server, paths = site
    server.reset()
    with backend_url("postgresql", tmp_path) as db_url, redis_queue() as queue:
        add_many_sources(db_url, [server.url(path) for path in paths])
        out = io.StringIO()
        with redirect_stdout(out):
            code = main(["crawl", "--due", "0", "--redis", REDIS_URL, "--db", db_url, "--format", "json",
                         "-s", f"CITETRACK_REDIS_QUEUE={queue}"])  # fmt: skip
        assert (code, json.loads(out.getvalue())["queued"]) == (0, PAGES)
        yield db_url, queue


def _hits(server: MockServer, paths: list[str]) -> Counter[str]:
    counts = Counter(request["path"] for request in server.requests())
    return Counter({path: counts[path] for path in paths})


def _finish(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = process.communicate(timeout=580)
    assert process.returncode == 0, err[-2000:]
    return json.loads(out)


def test_two_workers_fetch_and_store_every_page_exactly_once(
    site: tuple[MockServer, list[str]], crawl: tuple[str, str]
) -> None:
    db_url, queue = crawl
    with worker(db_url, queue, "--exit-when-idle", "1") as first, worker(db_url, queue, "--exit-when-idle", "1") as second:
        summaries = [_finish(first), _finish(second)]
    assert all(summary["checked"] > PAGES / 10 for summary in summaries), summaries  # both took a share
    assert sum(summary["stored"] for summary in summaries) == PAGES, summaries
    server, paths = site
    assert set(_hits(server, paths).values()) == {1}
    snapshots, checks = stored_counts(db_url)
    assert len(snapshots) == PAGES and set(snapshots.values()) == {1} and set(checks.values()) == {1}
    assert queue_keys(queue) == {}  # nothing queued, leased or pending any more


def test_a_worker_killed_mid_crawl_loses_nothing(site: tuple[MockServer, list[str]], crawl: tuple[str, str]) -> None:
    db_url, queue = crawl
    with worker(db_url, queue, "--exit-when-idle", "1") as survivor, worker(db_url, queue) as victim:
        deadline = time.monotonic() + 300
        while check_count(db_url) < PAGES // 4 and time.monotonic() < deadline:
            time.sleep(0.1)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        # The victim's processing list is frozen now (its heartbeat lasts 6 s more): with what the survivor holds
        # at this moment, an upper bound of the pages it had fetched but not stored.
        leased = sum(length for key, length in queue_keys(queue).items() if ":processing:" in key)
        with worker(db_url, queue, "--exit-when-idle", "1") as restarted:  # the victim's replacement
            summaries = [_finish(survivor), _finish(restarted)]
    assert sum(summary["reaped"] for summary in summaries) > 0  # the victim's leased pages went back on the queue
    server, paths = site
    hits = _hits(server, paths)
    twice = [path for path, count in hits.items() if count == 2]
    assert set(hits.values()) <= {1, 2} and 0 < leased and len(twice) <= leased
    snapshots, checks = stored_counts(db_url)
    assert len(snapshots) == PAGES and set(snapshots.values()) == {1}
    assert sum(checks.values()) - PAGES <= len(twice)
    assert queue_keys(queue) == {}


def test_sigterm_stops_a_worker_with_exit_130_leaving_the_rest_queued(
    mockserver: MockServer, tmp_path: Path
) -> None:
    with backend_url("postgresql", tmp_path) as db_url, redis_queue() as queue:
        add_many_sources(db_url, [mockserver.url(f"/delay/1?n={number}") for number in range(20)])
        with redirect_stdout(io.StringIO()):
            main(["crawl", "--due", "0", "--redis", REDIS_URL, "--db", db_url, "-s", f"CITETRACK_REDIS_QUEUE={queue}"])
        with worker(db_url, queue, "-s", "CONCURRENT_REQUESTS=4", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4") as running:
            deadline = time.monotonic() + 60
            while queue_keys(queue).get(f"{queue}:requests", 20) > 16 and time.monotonic() < deadline:
                time.sleep(0.05)
            running.send_signal(signal.SIGTERM)
            out, _ = running.communicate(timeout=60)
        summary = json.loads(out)
        assert running.returncode == 130 and summary["interrupted"]
        keys = queue_keys(queue)
        stored = check_count(db_url)
        assert stored == summary["stored"] < 20
        assert keys == {f"{queue}:requests": 20 - stored, f"{queue}:dupefilter": 20 - stored}
