"""What is measured on a generated store, through public interfaces only, and the targets of issue 16.

CLI commands run as ``citetrack`` subprocesses; endpoints are requested from ``citetrack serve`` on a loopback
port. Targets are the issue's limits at one million sources; at a smaller scale a time limit shrinks with the
store while the fixed cost of starting a process (the same-run baseline of its kind) does not:
``limit × scale + baseline × (1 − scale)``. Memory limits stay as they are (a streaming command's memory does
not grow with the store). The store is left as it was found: the commands timed are read-only, the crawls are
stopped before any answer comes back, and the snapshots added for ``verify`` are removed again.
"""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from crawler.enums import Verdict
from crawler.report.attribution import RANKED
from store.verify import refresh_claim_verdicts

from .load import Generated, StoreSpec
from .plan import DAY, LAST_CHECK_SPREAD_DAYS
from .rows import Stamps
from .run import FirstRequestProxy, Measured, Server, run_command

PER_PAGE = 20
# The API refuses pages past this (crawler/web/params.py MAX_PAGE): the deepest page a client can ask for.
MAX_PAGE = 100_000
# Words of the generated claims: one common, one rare (see storebench.words).
COMMON_WORD, RARE_WORD = "percent", "glacier"
NEW_SNAPSHOTS = 1_000
# Mark the snapshots the benchmark adds (extractor, and a content hash that is not hexadecimal), to remove them.
NEW_SNAPSHOT_EXTRACTOR = "bench_store"
NEW_SNAPSHOT_HASH = "benchnew"
# How long a crawl with every source due is watched after its first request (its memory while requests queue).
CRAWL_OBSERVE_SECONDS = 10.0


@dataclass(frozen=True)
class Target:
    """The issue's limit at one million sources, and which same-run baseline the measurement is compared to."""

    seconds: float | None = None
    megabytes: float | None = None
    baseline: str = "cli"

    @property
    def is_baseline(self) -> bool:
        """Tell whether this measurement is a baseline (it has no limit of its own)."""
        return self.seconds is None and self.megabytes is None

    def seconds_at(self, scale: float, baseline: float | None) -> float | None:
        """Return the time limit at ``scale`` (the process start, ``baseline``, does not shrink with the store)."""
        if self.seconds is None or scale >= 1 or baseline is None:
            return self.seconds
        return self.seconds * scale + baseline * (1 - scale)


@dataclass
class Result:
    """One row of the benchmark's table."""

    name: str
    measured: Measured
    target: Target = field(default_factory=Target)
    note: str = ""


@dataclass
class Facts:
    """What the measurements need to know about the generated store."""

    spec: StoreSpec
    generated: Generated
    citetrack: list[str]
    timeout: float
    memory_cap: int
    engine: Engine
    source_url: str = ""
    article_id: int = 1
    source_id: int = 1

    @property
    def nothing_due_days(self) -> int:
        """Days for ``crawl --due DAYS`` under which no source is due (every source was checked more recently)."""
        age = (time.time() - self.generated.anchor) / DAY
        return math.ceil(LAST_CHECK_SPREAD_DAYS + age) + 1

    def end_leftover_queries(self) -> None:
        """End the queries a killed command left running on PostgreSQL (they would slow the next measurement)."""
        if self.spec.dialect == "postgresql":
            with self.engine.begin() as connection:
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE application_name = :name AND datname = current_database()"
                    ),
                    {"name": self.spec.application_name},
                )

    def deep_page(self, rows: int) -> int:
        """Return the page nine tenths of the way through ``rows`` rows (at most the API's last page)."""
        return max(1, min(MAX_PAGE, math.ceil(rows * 0.9 / PER_PAGE)))


def sql_baselines(engine: Engine, facts: Facts) -> Iterator[Result]:
    """Yield the SQL yardsticks: a primary-key lookup (median of 21) and a count of every claim (median of 3)."""
    claims = facts.generated.counts["claims"]
    with engine.connect() as connection:
        lookup = _median_seconds(connection, "SELECT text FROM claims WHERE id = :id", {"id": claims // 2}, 21)
        count = _median_seconds(connection, "SELECT count(*) FROM claims", {}, 3)
    sql = Target(baseline="sql")
    yield Result("SQL: claim by primary key (median of 21)", Measured(lookup, 0, "ok", lookup), sql)
    yield Result(f"SQL: count(*) of {claims:,} claims (median of 3)", Measured(count, 0, "ok", count), sql)


def _median_seconds(connection: Connection, sql: str, params: dict[str, Any], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        connection.execute(text(sql), params).all()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def cli_measurements(engine: Engine, facts: Facts) -> Iterator[Result]:
    """Yield the CLI baseline, then each command of the issue's list, run as a subprocess."""
    db = ["--db", facts.spec.url]
    one_article = ["claims", str(facts.article_id), *db]
    yield Result(f"CLI baseline: citetrack claims {facts.article_id}", _cli(facts, one_article), Target(baseline="cli"))
    verify = _cli(facts, ["verify", *db])
    yield Result("citetrack verify (nothing new)", verify, Target(5.0), _last_line(verify))
    new = max(10, round(NEW_SNAPSHOTS * facts.spec.scale))
    with new_snapshots(engine, facts, new) as added:
        verify = _cli(facts, ["verify", *db])
    yield Result(f"citetrack verify ({added:,} new snapshots)", verify, Target(30.0), _last_line(verify))
    days = facts.nothing_due_days
    due = _cli(facts, ["crawl", "--due", str(days), *db])
    yield Result(f"citetrack crawl --due {days} (nothing due)", due, Target(1.0), _last_line(due))
    with FirstRequestProxy() as proxy:
        first = _crawl(facts, proxy, ["--source", facts.source_url], observe=0.0)
        yield Result("crawl baseline: first request, one source due", first, Target(baseline="crawl"), proxy.first_line)
        proxy.reset()
        every = _crawl(facts, proxy, ["--due", "0"], observe=CRAWL_OBSERVE_SECONDS)
        note = f"first: {proxy.first_line}; memory watched {CRAWL_OBSERVE_SECONDS:.0f} s more" if proxy.first else ""
        name = f"citetrack crawl --due 0 ({facts.generated.counts['sources']:,} due): first request"
        yield Result(name, every, Target(10.0, 500.0, "crawl"), note)
        proxy.reset()
        policy = _crawl(facts, proxy, ["--due"], observe=CRAWL_OBSERVE_SECONDS)
        note = f"first: {proxy.first_line}; memory watched {CRAWL_OBSERVE_SECONDS:.0f} s more" if proxy.first else ""
        yield Result("citetrack crawl --due (what the due policy makes due): first request", policy,
                     Target(10.0, 500.0, "crawl"), note)  # fmt: skip
    broken = _cli(facts, ["broken", "--format", "json", *db])
    yield Result("citetrack broken --format json", broken, Target(2.0), f"{broken.output_bytes:,} bytes")
    listing = _cli(facts, ["sources", "list", "--format", "json", *db])
    first_byte = f"first byte at {listing.first_byte:.1f} s, " if listing.first_byte is not None else ""
    note = f"{first_byte}{listing.output_bytes:,} bytes"
    yield Result("citetrack sources list --format json", listing, Target(None, 200.0), note)


def _cli(facts: Facts, arguments: list[str]) -> Measured:
    measured = run_command([*facts.citetrack, *arguments], timeout=facts.timeout, memory_cap=facts.memory_cap)
    if measured.ended in ("time cap", "memory cap"):
        facts.end_leftover_queries()
    return measured


def _crawl(facts: Facts, proxy: FirstRequestProxy, chosen: list[str], *, observe: float) -> Measured:
    """Time a crawl until its first request reaches the proxy (nothing is fetched, so nothing is stored)."""
    environment = {key: value for key, value in os.environ.items() if key.lower() not in ("no_proxy", "all_proxy")}
    environment.update({"http_proxy": proxy.url, "https_proxy": proxy.url})
    command = [*facts.citetrack, "crawl", *chosen, "--allow-private", "--db", facts.spec.url]
    measured = run_command(
        command, timeout=facts.timeout, memory_cap=facts.memory_cap, env=environment,
        started_when=proxy.first_request, observe_after=observe,
    )  # fmt: skip
    facts.end_leftover_queries()  # the crawl is always killed
    return measured


def _last_line(measured: Measured) -> str:
    return (measured.output.strip().splitlines() or [measured.detail])[-1][:110]


@contextmanager
def new_snapshots(engine: Engine, facts: Facts, count: int) -> Iterator[int]:
    """Give ``count`` healthy sources a new snapshot (and the check that fetched it) for ``verify`` to match.

    Each new text holds the claims citing the source, so verification does real matching. Yields how many
    sources got one; afterwards the snapshots, their checks and any verification made against them are
    deleted, so the store is as before.
    """
    remove_new_snapshots(engine)
    now = Stamps(facts.spec.dialect)(time.time())
    stride = max(1, facts.generated.counts["sources"] // (2 * count))
    try:
        with engine.begin() as connection:
            chosen = connection.execute(
                text("SELECT id, url FROM sources WHERE status = 'ok' AND id % :stride = 0 ORDER BY id LIMIT :count"),
                {"stride": stride, "count": count},
            ).all()
            claims = _citing_claims(connection, [source_id for source_id, _ in chosen])
            for source_id, url in chosen:
                page = " ".join(claims.get(source_id, [])) + " The report was updated with new figures this week."
                _add_fetched_snapshot(connection, source_id, url, page, now)
        yield len(chosen)
    finally:
        remove_new_snapshots(engine)


def _add_fetched_snapshot(connection: Connection, source_id: int, url: str, page: str, now: str) -> None:
    """Store a new snapshot of a source with ``page`` as its text, and the healthy check that fetched it."""
    snapshot_id = connection.execute(
        text(
            "INSERT INTO snapshots (source_id, fetched_at, http_status, final_url, redirect_chain, fetches, "
            "content_type, content_hash, text, title, extractor, extracted_at) VALUES (:source_id, :now, 200, "
            ":url, '[]', '[]', 'text/html; charset=utf-8', :hash, :text, 'Updated', :extractor, :now) RETURNING id"
        ),
        {"source_id": source_id, "now": now, "url": url, "hash": f"{NEW_SNAPSHOT_HASH}{source_id:056d}", "text": page,
         "extractor": NEW_SNAPSHOT_EXTRACTOR},
    ).scalar_one()  # fmt: skip
    connection.execute(
        text(
            "INSERT INTO checks (source_id, checked_at, outcome, status, http_status, final_url, evidence, "
            "snapshot_id) VALUES (:source_id, :now, 'fetched', 'ok', 200, :url, :evidence, :snapshot_id)"
        ),
        {"source_id": source_id, "now": now, "url": url, "snapshot_id": snapshot_id,
         "evidence": '{"rule": "content", "http_status": 200, "conclusive": true}'},
    )  # fmt: skip
    # Marked for verify in the same transaction, as the crawl marks a source whose usable text changed.
    connection.execute(text("UPDATE sources SET verify_marked_at = :now WHERE id = :source_id"),
                       {"now": now, "source_id": source_id})  # fmt: skip


def _citing_claims(connection: Connection, source_ids: list[int]) -> dict[int, list[str]]:
    """Return the text of every claim citing each source."""
    found: dict[int, list[str]] = {}
    for start in range(0, len(source_ids), 500):
        chunk = ", ".join(str(source_id) for source_id in source_ids[start : start + 500])
        rows = connection.execute(
            text(
                'SELECT r.source_id, cl.text FROM "references" r JOIN citations ci ON ci.reference_id = r.id '
                f"JOIN claims cl ON cl.id = ci.claim_id WHERE r.source_id IN ({chunk})"
            )
        )
        for source_id, claim_text in rows:
            found.setdefault(source_id, []).append(claim_text)
    return found


def remove_new_snapshots(engine: Engine) -> None:
    """Delete the snapshots the benchmark added (a run stopped half-way leaves them), their checks and verifications.

    They are found through the indexed content hash. On PostgreSQL the foreign-key triggers are off while the
    snapshots go (their checks and verifications are already deleted): each deleted snapshot would otherwise
    scan all of ``checks`` for rows to update, since ``checks.snapshot_id`` has no index today. Their sources'
    verify marks are cleared and the citing claims' stored verdicts computed again, as they were before.
    """
    with engine.begin() as connection:
        added = connection.execute(
            text(
                "SELECT id FROM snapshots WHERE content_hash >= :low AND content_hash < :high "
                "AND extractor = :extractor"
            ),
            {"low": NEW_SNAPSHOT_HASH, "high": NEW_SNAPSHOT_HASH[:-1] + "x", "extractor": NEW_SNAPSHOT_EXTRACTOR},
        ).scalars().all()  # fmt: skip
        if engine.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        claims: set[int] = set()
        for start in range(0, len(added), 500):
            chunk = ", ".join(str(snapshot_id) for snapshot_id in added[start : start + 500])
            citing = text(f"SELECT claim_id FROM verifications WHERE snapshot_id IN ({chunk})")
            claims.update(connection.execute(citing).scalars())
            sources = f"SELECT source_id FROM snapshots WHERE id IN ({chunk})"
            connection.execute(text(f"UPDATE sources SET verify_marked_at = NULL WHERE id IN ({sources})"))
            for table, column in (("verifications", "snapshot_id"), ("checks", "snapshot_id"), ("snapshots", "id")):
                connection.execute(text(f"DELETE FROM {table} WHERE {column} IN ({chunk})"))
        refresh_claim_verdicts(Session(bind=connection), claims, RANKED, Verdict.UNAVAILABLE)


def http_measurements(facts: Facts, server: Server, counts: dict[str, int], open_flags: int) -> Iterator[Result]:
    """Yield the HTTP baseline, then every list endpoint and page: page 1, a deep page, filters, search."""
    deep = {table: facts.deep_page(counts[table]) for table in ("claims", "sources", "articles")}
    deep["flags"] = facts.deep_page(open_flags)
    paths: list[tuple[str, float]] = [
        (f"/api/sources/{facts.source_id}/snapshots", 0.0),
        ("/api/claims?page=1", 0.5),
        (f"/api/claims?page={deep['claims']}", 0.5),
        ("/api/claims?verdict=supported", 0.5),
        ("/api/claims?verdict=unavailable", 0.5),
        (f"/api/claims?article_id={facts.article_id}", 0.5),
        (f"/api/claims?q={COMMON_WORD}", 1.0),
        (f"/api/claims?q={RARE_WORD}", 1.0),
        ("/api/broken?page=1", 0.5),
        (f"/api/broken?page={deep['flags']}", 0.5),
        ("/api/broken?status=dead", 0.5),
        ("/api/broken?confirmed=true", 0.5),
        ("/api/sources?page=1", 0.5),
        (f"/api/sources?page={deep['sources']}", 0.5),
        ("/api/sources?status=dead", 0.5),
        ("/api/articles?page=1", 0.5),
        (f"/api/articles?page={deep['articles']}", 0.5),
        (f"/api/articles/{facts.article_id}/report", 0.5),
        ("/", 0.5),
        (f"/?page={deep['articles']}&per_page={PER_PAGE}", 0.5),
        ("/claims", 0.5),
        (f"/claims?q={COMMON_WORD}", 1.0),
        ("/claims?verdict=supported", 0.5),
        ("/broken", 0.5),
        (f"/articles/{facts.article_id}", 0.5),
    ]
    for index, (path, limit) in enumerate(paths):
        measured = _timed_get(server, path, facts.timeout)
        if index == 0:
            note = f"{measured.output_bytes:,} bytes"
            yield Result(f"HTTP baseline: GET {path}", measured, Target(baseline="http"), note)
        else:
            note = measured.detail or f"{measured.output_bytes:,} bytes"
            yield Result(f"GET {path}", measured, Target(limit, None, "http"), note)


def _timed_get(server: Server, path: str, timeout: float) -> Measured:
    """Time a GET; one that answers within a second is asked twice more and the median counts (a warm cache)."""
    first = server.get(path, timeout)
    if first.seconds is None or first.seconds > 1.0 or first.ended != "ok":
        return first
    again = [server.get(path, timeout) for _ in range(2)]
    timings = [m.seconds for m in (first, *again) if m.seconds is not None]
    first.seconds = statistics.median(timings)
    first.peak_rss = max(m.peak_rss for m in (first, *again))
    return first


def store_facts(engine: Engine, facts: Facts) -> int:
    """Fill in the ids the measurements use; return how many flags are open."""
    with engine.connect() as connection:
        facts.source_id = facts.generated.counts["sources"] // 2
        facts.source_url = connection.scalar(text("SELECT url FROM sources WHERE id = :id"), {"id": facts.source_id})
        facts.article_id = facts.generated.counts["articles"] // 2
        return int(connection.scalar(text("SELECT count(*) FROM flags WHERE resolved_at IS NULL")) or 0)


def explain_params(engine: Engine, facts: Facts) -> dict[str, Any]:
    """Return the parameters of the explained queries, taken from the store."""
    stamp = Stamps(facts.spec.dialect)
    counts = facts.generated.counts
    offset = facts.deep_page(counts["claims"]) * PER_PAGE
    with engine.connect() as connection:
        # Generated claims are numbered in article order, so claim ``offset`` ends the page before the deep one.
        deep_claim = {"id": min(offset, counts["claims"])}
        key = connection.execute(text('SELECT article_id, "index" FROM claims WHERE id = :id'), deep_claim).one()
        middle = {"id": counts["verifications"] // 2}
        pair = connection.execute(text("SELECT claim_id, reference_id FROM verifications WHERE id = :id"), middle).one()
    now = time.time()
    return {
        "source_id": facts.source_id,
        "recent": stamp(now - DAY),
        "claim_id": pair[0],
        "reference_id": pair[1],
        "nothing_due_before": stamp(now - facts.nothing_due_days * DAY),
        "due_before": stamp(now - 3 * DAY),
        "after": 0,
        "low": facts.source_id,
        "high": facts.source_id + 499,
        "offset": offset,
        "article_id": key[0],
        "claim_index": key[1],
        "first_claim": counts["claims"] // 2,
        "last_claim": counts["claims"] // 2 + PER_PAGE - 1,
        "pattern": f"%{RARE_WORD}%",  # the rare word: LIMIT 20 reads furthest before it has its page
        "word": f"{RARE_WORD}:*",
        "fts_word": f'"{RARE_WORD}"*',
        "source_offset": facts.deep_page(counts["sources"]) * PER_PAGE,
        "source_after": facts.deep_page(counts["sources"]) * PER_PAGE,
    }


def tracked(results: Iterator[Result], log: Callable[[str], None]) -> Iterator[Result]:
    """Pass results on, logging each as it is measured (a full run takes a while)."""
    for result in results:
        measured = result.measured
        shown = f"> {measured.elapsed:.1f} s" if measured.seconds is None else f"{measured.seconds:.3f} s"
        log(f"{result.name}: {shown} ({measured.ended}), peak {measured.peak_rss / 2**20:.0f} MB")
        yield result
