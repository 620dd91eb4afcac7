"""Crawl benchmark: ``citetrack crawl`` against bare Scrapy over the same generated local pages, in one run.

    python benchmarks/bench_crawl.py [--pages 2000] [--db sqlite|postgresql|both] [--concurrency 16] [--workers N …]
    python benchmarks/bench_crawl.py --pages 5000 --redis-workers 1 2     # distributed: citetrack worker processes

Generates a site (HTML of 20–100 KB, 5% PDFs), serves it with ``crawler.demo.server`` in its own process,
then times (a) a do-nothing Scrapy spider with politeness off and (b) ``citetrack crawl --all
--allow-private`` with politeness off, on each database, extraction and storage included. Each run is a fresh
process timed from start to exit; the baseline runs first and last and the faster one counts. CPU time and
peak memory (the largest summed RSS) cover a run's whole process tree — the crawl's child and its extraction
workers included — sampled every 0.1 s from /proc. ``--workers 0 2`` crawls once per extraction-worker count
(``CITETRACK_EXTRACT_WORKERS``; 0 = inline). After each crawl the health pass is timed again over the same
checks (it recomputes from them, so a re-run does the crawl's own pass's work).

``--redis-workers 1 2`` times ``citetrack worker`` processes instead (issue 10's benchmark (a)): for each count, on a
fresh PostgreSQL store, the pages are queued on a Redis queue of their own (``crawl --all --redis``, not timed),
then that many workers run at once, timed from their start until every page's check is stored, twice: fetching
only (``CITETRACK_EXTRACT_ENABLED=0``) and with text extraction in each worker's pool (``CITETRACK_EXTRACT_WORKERS``,
default one process per core). CPU covers every worker's process tree.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sitegen import generate_site

POSTGRES_URL = os.environ.get("CITETRACK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("CITETRACK_TEST_REDIS", "redis://127.0.0.1:6379/0")
TARGET_RATIO = 0.5
# Issue 10's aims for the distributed crawl on this 2-core machine: fetching, and fetching with extracted text.
TARGET_FETCH_RATIO = 0.5
TARGET_TEXT_RATIO = 0.35
SAMPLE_SECONDS = 0.1
EXTRACT_SAMPLE = 100
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
POLITENESS_OFF = {
    "ROBOTSTXT_OBEY": "False",
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "LOG_LEVEL": "WARNING",
}


@dataclass
class Run:
    """One timed process: what it was, its wall and CPU time, how many pages it handled, its peak RSS."""

    name: str
    seconds: float
    cpu_seconds: float
    pages: int
    peak_rss: int
    note: str = ""

    @property
    def rate(self) -> float:
        """Pages per second."""
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        """CPU milliseconds per page over the whole process tree."""
        return 1000 * self.cpu_seconds / self.pages if self.pages else 0.0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with ``--bare-scrapy``, only the baseline spider) and print the table."""
    args = _parse(argv)
    if args.bare_scrapy:
        return _bare_scrapy(args.bare_scrapy, args.concurrency)
    backends = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        print(f"load average (1, 5, 15 min) at the start: {os.getloadavg()}", flush=True)
        started = time.monotonic()
        paths = generate_site(Path(tmp) / "site", args.pages)
        print(f"generated {len(paths)} documents in {time.monotonic() - started:.1f} s", flush=True)
        per_page = _extraction_seconds(Path(tmp) / "site", paths)
        with _served(Path(tmp) / "site") as base_url:
            urls_file = Path(tmp) / "urls.txt"
            urls_file.write_text("\n".join(base_url + path for path in paths), encoding="utf-8")
            # The baseline runs before and after the crawls; the faster of the two counts (a stricter target).
            runs = [_run_bare(urls_file, args.concurrency, Path(tmp), "bare scrapy (first)")]
            if args.redis_workers:
                runs += [
                    _run_redis_workers(count, extract, urls_file, args.concurrency, Path(tmp))
                    for extract in (False, True)
                    for count in args.redis_workers
                ]
            else:
                runs += [
                    _run_citetrack(backend, workers, urls_file, args.concurrency, Path(tmp))
                    for backend in backends
                    for workers in args.workers or [None]
                ]
            runs.append(_run_bare(urls_file, args.concurrency, Path(tmp), "bare scrapy (last)"))
    _report(runs, len(paths), args.concurrency)
    cores = os.cpu_count() or 1
    print(
        f"extraction alone: {per_page * 1000:.0f} ms per document on one core (sample of {EXTRACT_SAMPLE}), "
        f"so at most {cores / per_page:.0f} pages/s on {cores} cores, fetching aside"
    )
    print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}; other work on the machine skews the figures")
    return 0 if all(run.pages == len(paths) for run in runs) else 1


def _extraction_seconds(root: Path, paths: list[str]) -> float:
    """Return the mean in-process extraction time per document over an evenly spread sample."""
    from crawler.extract import extract_document

    sample = paths[:: max(1, len(paths) // EXTRACT_SAMPLE)][:EXTRACT_SAMPLE]
    bodies = [((root / path.lstrip("/")).read_bytes(), path) for path in sample]
    extract_document(bodies[0][0], None)  # the first call builds trafilatura's configuration
    started = time.process_time()
    for body, path in bodies:
        extract_document(body, "application/pdf" if path.endswith(".pdf") else "text/html; charset=utf-8")
    return (time.process_time() - started) / len(bodies)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="documents to generate and crawl (default 2000)")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both", help="database(s)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent requests, the same for both")
    parser.add_argument(
        "--workers", type=int, nargs="+", metavar="N",
        help="crawl once per CITETRACK_EXTRACT_WORKERS value (0 = extract inline; default: the setting's default)",
    )  # fmt: skip
    parser.add_argument(
        "--redis-workers", type=int, nargs="+", metavar="N",
        help="time N `citetrack worker` processes sharing a Redis queue, on PostgreSQL (e.g. 1 2), instead of crawl",
    )  # fmt: skip
    parser.add_argument("--bare-scrapy", type=Path, metavar="URLS", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


@contextmanager
def _served(root: Path) -> Iterator[str]:
    """Serve ``root`` with the demo server in its own process; yield its base URL."""
    command = [sys.executable, "-m", "crawler.demo.server", "--root", str(root)]
    server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert server.stdout is not None
        yield f"http://127.0.0.1:{int(server.stdout.readline())}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _run_bare(urls_file: Path, concurrency: int, tmp: Path, name: str) -> Run:
    """Time the do-nothing spider in its own process."""
    command = [sys.executable, __file__, "--bare-scrapy", str(urls_file), "--concurrency", str(concurrency)]
    seconds, cpu, peak, output = _measure(command, tmp / "bare.log")
    return Run(name, seconds, cpu, json.loads(output)["pages"], peak)


def _run_citetrack(backend: str, workers: int | None, urls_file: Path, concurrency: int, tmp: Path) -> Run:
    """Time ``citetrack crawl`` over the same URLs, stored as sources in a fresh database, then its health pass."""
    from store.base import utcnow

    urls = urls_file.read_text(encoding="utf-8").split()
    label = f"citetrack {backend}" if workers is None else f"citetrack {backend} w={workers}"
    with _database(backend, tmp) as db_url:
        _add_sources(db_url, urls)
        settings = {**POLITENESS_OFF, "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency}
        if workers is not None:
            settings["CITETRACK_EXTRACT_WORKERS"] = workers
        command = [sys.executable, "-c", "import sys; from crawler.cli import main; sys.exit(main(sys.argv[1:]))"]
        command += ["crawl", "--all", "--allow-private", "--db", db_url, "--format", "json"]
        command += [part for name, value in settings.items() for part in ("-s", f"{name}={value}")]
        started = utcnow()
        seconds, cpu, peak, output = _measure(command, tmp / f"{label.replace(' ', '-')}.log")
        summary = json.loads(output)
        stored = _count_texts(db_url)
        health = _health_seconds(db_url, started)
    note = f"fetched {summary['fetched']}, failed {summary['failed']}, with text {stored}, health pass {health:.2f} s"
    return Run(label, seconds, cpu, summary["fetched"], peak, note)


def _run_redis_workers(count: int, extract: bool, urls_file: Path, concurrency: int, tmp: Path) -> Run:
    """Queue the URLs on a fresh Redis queue and PostgreSQL store; time ``count`` workers until all are stored."""
    urls = urls_file.read_text(encoding="utf-8").split()
    label = f"{count} worker{'s' if count > 1 else ''}, {'with text' if extract else 'fetch only'}"
    queue = f"bench-{uuid.uuid4().hex[:12]}"
    settings = {**POLITENESS_OFF, "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
                "CITETRACK_EXTRACT_ENABLED": int(extract), "CITETRACK_REDIS_QUEUE": queue}  # fmt: skip
    options = [part for name, value in settings.items() for part in ("-s", f"{name}={value}")]
    cli = [sys.executable, "-c", "import sys; from crawler.cli import main; sys.exit(main(sys.argv[1:]))"]
    with _database("postgresql", tmp) as db_url:
        _add_sources(db_url, urls)
        subprocess.run([*cli, "crawl", "--all", "--redis", REDIS_URL, "--db", db_url, *options], cwd=REPO, check=True,
                       env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL)  # fmt: skip
        command = [*cli, "worker", "--redis", REDIS_URL, "--db", db_url, "--allow-private", "--exit-when-idle", "1"]
        logs = [tmp / f"worker-{queue}-{number}.log" for number in range(count)]
        seconds, cpu, peak = _measure_until([[*command, *options]] * count, logs, lambda: _count_checks(db_url) >= len(urls))
        stored, texts = _count_checks(db_url), _count_texts(db_url)
    pages = texts if extract else stored
    return Run(label, seconds, cpu, pages, peak, f"checks {stored}, with text {texts}")


def _measure_until(commands: list[list[str]], logs: list[Path], done: Callable[[], bool]) -> tuple[float, float, int]:
    """Run ``commands`` at once until ``done()``; return wall seconds, CPU seconds and peak RSS of their trees."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    streams = [log.open("wb") for log in logs]
    started = time.monotonic()
    processes = [
        subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=stream)
        for command, stream in zip(commands, streams, strict=True)
    ]
    peak, cpu_ticks = 0, {}
    try:
        while not done():
            if all(process.poll() is not None for process in processes):
                raise SystemExit(f"the workers exited before the crawl was done:\n{logs[0].read_text()[-3000:]}")
            sample = {pid: value for process in processes for pid, value in _tree_sample(process.pid).items()}
            peak = max(peak, sum(rss for rss, _ in sample.values()))
            cpu_ticks.update({pid: ticks for pid, (_, ticks) in sample.items()})
            time.sleep(SAMPLE_SECONDS * 5)  # each check of done() is a query
        seconds = time.monotonic() - started
        sample = {pid: value for process in processes for pid, value in _tree_sample(process.pid).items()}
        cpu_ticks.update({pid: ticks for pid, (_, ticks) in sample.items()})
    finally:
        for process in processes:
            process.terminate()  # a graceful stop; the queue is empty by now
        for process in processes:
            process.wait(timeout=120)
        for stream in streams:
            stream.close()
    return seconds, sum(cpu_ticks.values()) / CLOCK_TICKS, peak


def _health_seconds(db_url: str, since: datetime) -> float:
    """Time the post-crawl health pass over the checks made since ``since`` (one transaction, as the crawl runs it)."""
    from crawler import settings
    from crawler.health.flags import Confirmation
    from crawler.jobs.healthpass import run_health_pass
    from store.engine import get_engine, session_factory

    confirmation = Confirmation.from_values(settings.CITETRACK_CONFIRM_CHECKS, settings.CITETRACK_CONFIRM_SPACING_DAYS)
    started = time.perf_counter()
    run_health_pass(session_factory(db_url), since, confirmation)
    seconds = time.perf_counter() - started
    get_engine(db_url).dispose()
    return seconds


def _measure(command: list[str], log: Path) -> tuple[float, float, int, str]:
    """Run ``command``; return wall seconds, CPU seconds and peak RSS (bytes) of its process tree, its stdout."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with log.open("wb") as stderr, tempfile.TemporaryFile() as stdout:
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=stdout, stderr=stderr)
        peak, cpu_ticks = 0, {}
        while process.poll() is None:
            sample = _tree_sample(process.pid)
            peak = max(peak, sum(rss for rss, _ in sample.values()))
            cpu_ticks.update({pid: ticks for pid, (_, ticks) in sample.items()})  # cumulative per process
            time.sleep(SAMPLE_SECONDS)
        seconds = time.monotonic() - started
        stdout.seek(0)
        output = stdout.read().decode("utf-8")
    if process.returncode != 0:
        raise SystemExit(f"a benchmark run exited {process.returncode}:\n{log.read_text()[-3000:]}")
    return seconds, sum(cpu_ticks.values()) / CLOCK_TICKS, peak, output


def _tree_sample(pid: int) -> dict[int, tuple[int, int]]:
    """Return ``{pid: (RSS bytes, CPU ticks so far)}`` for ``pid`` and every descendant (forkserver workers too)."""
    stats: dict[int, list[str]] = {}
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                fields = Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = fields
            children[int(fields[1])].append(int(entry.name))
    sample, stack = {}, [pid]
    while stack:
        current = stack.pop()
        if current in stats:  # fields after the name: state ppid … utime(11) stime(12) … rss(21)
            fields = stats[current]
            sample[current] = (int(fields[21]) * PAGE_SIZE, int(fields[11]) + int(fields[12]))
            stack.extend(children[current])
    return sample


@contextmanager
def _database(backend: str, tmp: Path) -> Iterator[str]:
    """Yield a fresh database URL: a SQLite file, or a new PostgreSQL schema dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:8]}.db'}"
        return
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _add_sources(db_url: str, urls: list[str]) -> None:
    """Store each URL as a source to crawl."""
    from crawler.urls import canonicalize_url
    from store.engine import get_engine, session_factory
    from store.models import Source

    with session_factory(db_url).begin() as session:
        session.add_all(Source(url=canonicalize_url(url)) for url in urls)
    get_engine(db_url).dispose()


def _count_checks(db_url: str) -> int:
    """Return how many checks are stored."""
    from sqlalchemy import func, select

    from store.engine import get_engine, session_factory
    from store.models import Check

    with session_factory(db_url).begin() as session:
        count = session.scalar(select(func.count()).select_from(Check))
    get_engine(db_url).dispose()
    return int(count or 0)


def _count_texts(db_url: str) -> int:
    """Return how many stored snapshots have extracted text."""
    from sqlalchemy import func, select

    from store.engine import get_engine, session_factory
    from store.models import Snapshot

    with session_factory(db_url).begin() as session:
        count = session.scalar(select(func.count()).select_from(Snapshot).where(Snapshot.text.is_not(None)))
    get_engine(db_url).dispose()
    return int(count or 0)


def _bare_scrapy(urls_file: Path, concurrency: int) -> int:
    """Fetch every URL with a spider that does nothing with the responses; print ``{"pages": N}``."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class BareSpider(scrapy.Spider):
        """Requests each URL once and drops the response."""

        name = "bare"

        async def start(self):  # type: ignore[no-untyped-def]
            for url in urls_file.read_text(encoding="utf-8").split():
                yield scrapy.Request(url, dont_filter=True)

        def parse(self, response):  # type: ignore[no-untyped-def]
            return None

    settings = {**POLITENESS_OFF, "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency}
    process = CrawlerProcess({**settings, "TELNETCONSOLE_ENABLED": False})
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    print(json.dumps({"pages": crawler.stats.get_value("response_received_count", 0)}))
    return 0


def _report(runs: list[Run], pages: int, concurrency: int) -> None:
    """Print pages/s, the ratio to the faster bare-Scrapy run (target ≥ 0.5), CPU time and peak memory."""
    baseline = max(run.rate for run in runs if run.name.startswith("bare"))
    print(f"\n{pages} documents (5% PDF), concurrency {concurrency}, politeness off, one local server process")
    print(
        f"{'run':<26}{'seconds':>9}{'CPU s':>7}{'CPU ms/page':>12}{'pages':>7}{'pages/s':>9}{'ratio':>7}{'peak RSS':>10}"
        "  notes"
    )
    for run in runs:
        ratio = run.rate / baseline if baseline else 0.0
        print(
            f"{run.name:<26}{run.seconds:>9.1f}{run.cpu_seconds:>7.1f}{run.cpu_ms_per_page:>12.1f}{run.pages:>7}"
            f"{run.rate:>9.1f}{ratio:>7.2f}{run.peak_rss / 2**20:>8.0f}MB  {run.note}"
        )
    if any(" worker" in run.name for run in runs):
        _report_workers(runs, baseline)
    else:
        print(f"target: citetrack crawl ≥ {TARGET_RATIO} × bare Scrapy pages/s")


def _report_workers(runs: list[Run], baseline: float) -> None:
    """Print the distributed runs' targets and where their CPU time per page goes."""
    print(f"targets: workers fetching ≥ {TARGET_FETCH_RATIO}, with extracted text ≥ {TARGET_TEXT_RATIO} × bare Scrapy pages/s")
    bare = min(run.cpu_ms_per_page for run in runs if run.name.startswith("bare"))
    by_name = {run.name: run for run in runs}
    for name in sorted({run.name.split(",")[0] for run in runs if " worker" in run.name}):
        fetch, text = by_name.get(f"{name}, fetch only"), by_name.get(f"{name}, with text")
        if fetch is None or text is None:
            continue
        print(
            f"{name}: CPU ms per page: {bare:.1f} Scrapy fetching (bare), {fetch.cpu_ms_per_page - bare:.1f} checks, "
            f"health rules, store and queue (fetch only − bare), {text.cpu_ms_per_page - fetch.cpu_ms_per_page:.1f} "
            "text extraction (with text − fetch only)"
        )


if __name__ == "__main__":
    sys.exit(main())
