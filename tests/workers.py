"""Helpers for distributed-crawl tests: a private queue on the real Redis, a large local site, worker processes."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from redis import Redis
from sqlalchemy import func, select

from crawler.urls import canonicalize_url
from store.engine import session_factory
from store.models import Check, Snapshot, Source

REDIS_URL = os.environ.get("CITETRACK_TEST_REDIS", "redis://127.0.0.1:6379/0")
REPO = Path(__file__).resolve().parents[1]
# Politeness off, many requests at once, a fast heartbeat (a worker is dead after 6 s), no text extraction (the pool is tested with ``crawl``;
# here it would only add CPU time on a shared machine): the test crawls take seconds.
WORKER_FAST = (
    "-s", "CITETRACK_EXTRACT_ENABLED=0",
    "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS=16",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "CITETRACK_EXTRACT_WORKERS=0", "-s", "DOWNLOAD_TIMEOUT=10",
    "-s", "CITETRACK_WORKER_HEARTBEAT_SECONDS=2", "-s", "LOG_LEVEL=WARNING",
)  # fmt: skip


@contextmanager
def redis_queue() -> Iterator[str]:
    """Yield a queue name of its own on the test Redis; delete every key under it afterwards."""
    name = f"citetrack-test-{uuid.uuid4().hex[:12]}"
    try:
        yield name
    finally:
        server = Redis.from_url(REDIS_URL)
        keys = list(server.scan_iter(match=f"{name}:*"))
        if keys:
            server.delete(*keys)
        server.close()


def queue_keys(queue: str) -> dict[str, int]:
    """Return the length of each key of ``queue`` on the test Redis (lists and sets)."""
    server = Redis.from_url(REDIS_URL)
    try:
        return {
            key.decode(): server.llen(key) if server.type(key) == b"list" else server.scard(key)
            for key in server.scan_iter(match=f"{queue}:*")
            if server.type(key) in (b"list", b"set")
        }
    finally:
        server.close()


def write_site(root: Path, pages: int) -> list[str]:
    """Write ``pages`` small distinct HTML pages under ``root/p/``; return their paths."""
    folder = root / "p"
    folder.mkdir(parents=True)
    paths = []
    for number in range(1, pages + 1):
        (folder / f"{number}.html").write_text(
            f"<html><head><title>Page {number}</title></head><body><article><h1>Page {number}</h1>"
            f"<p>Page {number} of the shared crawl says the regulator published its review on day {number}.</p>"
            "</article></body></html>",
            encoding="utf-8",
        )
        paths.append(f"/p/{number}.html")
    return paths


def add_many_sources(db_url: str, urls: Sequence[str]) -> None:
    """Store a source per URL in one transaction."""
    with session_factory(db_url).begin() as session:
        session.add_all(Source(url=canonicalize_url(url)) for url in urls)


def stored_counts(db_url: str) -> tuple[dict[str, int], dict[str, int]]:
    """Return the number of snapshots and of checks per source URL."""
    with session_factory(db_url).begin() as session:
        snapshots = dict(session.execute(select(Source.url, func.count(Snapshot.id)).outerjoin(Snapshot).group_by(Source.url)).all())
        checks = dict(session.execute(select(Source.url, func.count(Check.id)).outerjoin(Check).group_by(Source.url)).all())
    return snapshots, checks


def check_count(db_url: str) -> int:
    """Return how many checks are stored."""
    with session_factory(db_url).begin() as session:
        return int(session.scalar(select(func.count()).select_from(Check)) or 0)


@contextmanager
def worker(db_url: str, queue: str, *args: str) -> Iterator[subprocess.Popen[str]]:
    """Run ``citetrack worker --format json`` on the queue in its own process (stdout: its summary); kill it after."""
    process = start_worker(db_url, queue, *args)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def start_worker(db_url: str, queue: str, *args: str) -> subprocess.Popen[str]:
    """Start ``citetrack worker --format json`` on the queue in its own process (stdout: its summary)."""
    command = [sys.executable, "-c", "import sys; from crawler.cli import main; sys.exit(main(sys.argv[1:]))"]
    command += ["worker", "--redis", REDIS_URL, "--db", db_url, "--allow-private", "--format", "json"]
    command += [*WORKER_FAST, "-s", f"CITETRACK_REDIS_QUEUE={queue}", *args]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
