"""``citetrack crawl``'s work: the due sources, the crawl in a child process, and what it checked.

A Twisted reactor cannot be restarted within one process, and ``citetrack crawl`` may run many times in one
(tests call ``crawler.cli.main`` repeatedly), so each crawl runs ``python -m crawler.crawlrun`` in a fresh
process. The child reports progress on stdout as one JSON line per checked source (``{"done", "total", "url",
"source_id"}``)
and, last, the health pass's counts (``{"health": {…}}``).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from crawler.health.flags import Confirmation
from crawler.jobs.due import Selection, count_due_sources
from store.base import utcnow
from store.crawl import checks_since
from store.engine import session_factory
from store.models import Check, Source

# Exit code of a child that was interrupted or killed (``crawler.crawlrun`` returns it after a graceful stop).
EXIT_INTERRUPTED = 130
# Exit code of a child that found its run lock held by another run (EX_TEMPFAIL: try again later).
EXIT_LOCKED = 75


@dataclass
class CrawlRun:
    """What a crawl did: its child's exit code, the health pass's counts, and the summary of what it checked."""

    exit_code: int = 0
    health: dict[str, int] | None = None
    summary: dict[str, Any] = field(default_factory=dict)


def run_crawl(
    db_url: str,
    selection: Selection,
    settings: Sequence[str],
    *,
    health_pass: Confirmation | None,
    on_start: Callable[[int], None] = lambda total: None,
    on_progress: Callable[[dict[str, Any]], None] = lambda line: None,
    lock: str | None = None,
) -> CrawlRun:
    """Crawl the selected sources with ``-s`` ``settings``; return the run and its summary (a README contract).

    Only the number of selected sources is read here (nothing to do: no child starts); the child reads the
    sources themselves, a page at a time. The child runs the health pass when its spider closes. When it could not (nothing was due, or it was killed),
    it runs here over the same checks, unless ``health_pass`` is None (``CITETRACK_HEALTH_PASS_ENABLED`` off).
    With ``lock``, the child holds that store lock while it crawls (``store.lock``), or exits ``EXIT_LOCKED``.
    """
    due = count_due_sources(db_url, selection)
    on_start(due)
    started = utcnow()
    run = CrawlRun()
    checked: list[int] = []

    def on_line(line: dict[str, Any]) -> None:
        if "health" in line:
            run.health = line["health"] or {}
        else:
            checked.append(line["source_id"])
            on_progress(line)

    if due:
        locking = ["--lock", lock] if lock else []
        run.exit_code = run_child([*selection.arguments(), *locking, *settings_arguments(settings)], db_url, on_line)
    factory = session_factory(db_url)
    if run.exit_code == EXIT_LOCKED:  # another run holds the lock: this one did nothing
        return run
    if run.health is None:
        run.health = _health_pass(factory, started, health_pass) if health_pass is not None else {}
    with factory.begin() as session:
        rows = [_row(check, source) for check, source in checks_since(session, started, checked)]
    run.summary = {**_summary(rows, due, interrupted=run.exit_code == EXIT_INTERRUPTED), "health": run.health}
    return run


def _health_pass(factory: sessionmaker[Session], since: datetime, confirmation: Confirmation) -> dict[str, int]:
    """Run the health pass here, for a crawl whose child could not run it."""
    # Imported here: the pass (and the matching engine it loads, ~25 MB) is rarely needed in this process, and
    # the crawl's peak memory counts this process too.
    from crawler.jobs.healthpass import run_health_pass

    return run_health_pass(factory, since, confirmation)


def settings_arguments(settings: Sequence[str]) -> list[str]:
    """Return ``NAME=VALUE`` settings as the child's ``-s`` arguments."""
    return [argument for setting in settings for argument in ("-s", setting)]


def _row(check: Check, source: Source) -> dict[str, Any]:
    return {
        "url": source.url,
        "final_url": check.final_url,
        "http_status": check.http_status,
        "outcome": check.outcome,
        "snapshot_id": check.snapshot_id,
        "status": check.status,
        "checked_at": check.checked_at,
    }


def _summary(rows: list[dict[str, Any]], due: int, *, interrupted: bool) -> dict[str, Any]:
    """Count outcomes (failures by status) over this run's checks."""
    outcomes = Counter(row["outcome"] for row in rows)
    return {
        "fetched": outcomes["fetched"],
        "unchanged": outcomes["unchanged"],
        "failed": outcomes["failed"],
        "failed_by_reason": dict(Counter(row["status"] for row in rows if row["outcome"] == "failed")),
        "not_checked": due - len(rows),
        "interrupted": interrupted,
        "sources": rows,
    }


def run_child(arguments: Sequence[str], db_url: str, on_line: Callable[[dict[str, Any]], None]) -> int:
    """Run ``python -m crawler.crawlrun ARGUMENTS`` on ``db_url`` and return its exit code (130 if it was killed).

    Each JSON line the child prints (progress, then the health pass's counts) goes to ``on_line``.

    The child gets the database URL in its environment (a password in argv would show in ``ps``) and runs in
    its own process group with its extraction workers: SIGTERM and Ctrl-C to this process are passed on to it
    (its graceful shutdown writes what it has), and once it has exited, whatever is left of its group (workers
    of a killed child) is ended, so this process never waits on a pipe they hold open.
    """
    command = [sys.executable, "-m", "crawler.crawlrun", *arguments]
    environment = {**os.environ, "CITETRACK_DB": db_url}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=environment, process_group=0) as child:
        previous_term = signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signal.SIGTERM))
        try:
            code = _follow(child, on_line)
        finally:
            signal.signal(signal.SIGTERM, previous_term)
            _end_group(child.pid)
    return EXIT_INTERRUPTED if code < 0 else code


def _follow(child: subprocess.Popen[str], on_line: Callable[[dict[str, Any]], None]) -> int:
    """Pass the child's JSON lines on until it exits; Ctrl-C is passed on to the child, which shuts down."""
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(child, lines), daemon=True)
    reader.start()
    while True:
        try:
            code = child.poll()
            if code is not None:
                break
            line = lines.get(timeout=0.2)
            if line is not None and line.startswith("{"):
                on_line(json.loads(line))
        except queue.Empty:
            continue
        except KeyboardInterrupt:
            child.send_signal(signal.SIGINT)
    _end_group(child.pid)  # the workers of a killed child hold its stdout open: no end of file without this
    reader.join(timeout=5)
    while not lines.empty():
        line = lines.get()
        if line is not None and line.startswith("{"):
            on_line(json.loads(line))
    return code


def _read_lines(child: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    assert child.stdout is not None
    for line in child.stdout:
        lines.put(line)
    lines.put(None)


def _end_group(group: int) -> None:
    """Kill what is left of the child's process group (nothing, after a clean exit)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)
