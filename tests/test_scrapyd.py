"""Scrapyd runs the project for real: an egg built here is deployed to a scrapyd on a loopback port, a crawl of
the local site is scheduled through ``schedule.json`` with settings from scrapyd's environment, and its snapshots,
checks and health pass land in the store."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from store.engine import session_factory
from store.models import Flag
from tests.crawling import add_sources, checks, snapshots
from tests.mockserver import MockServer

REPO = Path(__file__).resolve().parents[1]
BLOG = "/blog/eu-ai-act-open-source.html"
# Politeness off and no extraction workers, so the job takes a few seconds.
JOB_SETTINGS = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=0", "CITETRACK_EXTRACT_WORKERS=0", "LOG_LEVEL=INFO",
                "CITETRACK_RETRY_BACKOFF_BASE=0"]  # fmt: skip
CONF = """[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
poll_interval = 0.2
max_proc = 1
eggs_dir = eggs
logs_dir = logs
dbs_dir = dbs
items_dir =
"""


def build_egg(directory: Path) -> Path:
    """Build the project's egg (setuptools ``bdist_egg``) from a copy of the checkout, leaving the checkout clean."""
    source = directory / "src"
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for package in ("crawler", "spiders", "store"):
        shutil.copytree(REPO / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    command = [sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "bdist_egg",
               "-d", str(directory / "dist"), "--bdist-dir", str(directory / "bdist")]  # fmt: skip
    subprocess.run(command, cwd=source, check=True, capture_output=True, timeout=120)
    (egg,) = (directory / "dist").glob("citetrack-*.egg")
    return egg


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def scrapyd(tmp_path: Path, sqlite_url: str) -> Iterator[str]:
    """A scrapyd on a free loopback port, in its own directory and config, with the store in its environment."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(CONF.format(port=port))
    env = {**os.environ, "CITETRACK_DB": sqlite_url, "CITETRACK_ALLOW_PRIVATE": "1", "CITETRACK_CONFIRM_CHECKS": "1"}
    with subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=home, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL) as daemon:  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    if httpx.get(f"{url}/daemonstatus.json").json()["status"] == "ok":
                        break
                except httpx.TransportError:
                    assert daemon.poll() is None and time.monotonic() < deadline, "scrapyd did not start"
                    time.sleep(0.2)
            yield url
        finally:
            daemon.terminate()
            daemon.wait(timeout=20)


def test_a_scrapyd_job_of_the_deployed_egg_crawls_into_the_store(
    scrapyd: str, sqlite_url: str, mockserver: MockServer, tmp_path: Path
) -> None:
    blog, gone = mockserver.url(BLOG), mockserver.url("/status/404")
    add_sources(sqlite_url, [blog, gone])  # the store's schema is made from the checkout (migrations read files)
    egg = build_egg(tmp_path / "egg")
    # Scrapyd lists the egg's spiders in a subprocess (``scrapy list``) before it answers: allow for the imports.
    added = httpx.post(f"{scrapyd}/addversion.json", data={"project": "citetrack", "version": "1"},
                       files={"egg": egg.read_bytes()}, timeout=60).json()  # fmt: skip
    assert added["status"] == "ok" and added["spiders"] == 3, added  # sources, articles, sources_worker
    scheduled = httpx.post(
        f"{scrapyd}/schedule.json",
        data={"project": "citetrack", "spider": "sources", "all": "1", "setting": JOB_SETTINGS},
        timeout=60,
    ).json()
    assert scheduled["status"] == "ok", scheduled
    deadline = time.monotonic() + 60
    while True:
        jobs = httpx.get(f"{scrapyd}/listjobs.json", params={"project": "citetrack"}).json()
        if any(job["id"] == scheduled["jobid"] for job in jobs["finished"]):
            break
        assert time.monotonic() < deadline, f"the job did not finish: {jobs}"
        time.sleep(0.3)

    log = next((tmp_path / "scrapyd" / "logs").rglob("*.log")).read_text()
    assert "Spider closed (finished)" in log, log[-3000:]
    (snapshot,) = snapshots(sqlite_url, blog)
    assert "AI Act" in snapshot.text
    assert [check.status for check in checks(sqlite_url, gone)] == ["dead"]
    with session_factory(sqlite_url).begin() as session:
        flags = [(flag.status, flag.confirmed) for flag in session.scalars(select(Flag))]
    assert flags == [("dead", True)], "the health pass ran in the job, with CITETRACK_CONFIRM_CHECKS from scrapyd's environment"
