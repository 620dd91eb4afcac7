"""Store-at-scale benchmark (issue 16): generate a newsroom-sized store, then time each command and endpoint on it.

    python benchmarks/bench_store.py [--dialect postgresql|sqlite] [--scale 1] [--seed 16] [--reuse]
                                     [--timeout 60] [--memory-cap 4096] [--explain] [--only-generate] [--drop]

Generates (or with ``--reuse`` finds) a store of ``--scale`` × (1,000,000 sources, 300,000 articles, about
3,000,000 references and claims, 3,900,000 citations and verifications, 2,200,000 checks, 1,150,000 snapshots
with their bodies, 3,000 open flags): the schema is made by ``citetrack db upgrade``, the rows are loaded in
bulk (``benchmarks/storebench``). On PostgreSQL the store is the schema ``bench_store_1m`` (named after its
size) of the benchmark database (``$CITETRACK_TEST_POSTGRES``); on SQLite a file in ``--sqlite-dir``.

Then, through public interfaces only, it times the commands as ``citetrack`` subprocesses and the endpoints
of ``citetrack serve`` on a loopback port, each under a time cap (``--timeout``) and a memory cap on its
process tree (``--memory-cap``), and prints one table: time, ratio to the same-run baseline of its kind (a
one-article CLI command, one request for a source's snapshots, a crawl with one source due), peak memory,
the target and whether it is met. The crawls send their requests to a local proxy that never answers, so the
time to the first request is measured without fetching or storing anything. ``--explain`` adds the query
plans of the main queries (``benchmarks/storebench/explain.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from storebench.explain import explain_all
from storebench.load import Generated, StoreSpec, admin_engine, default_name, drop_store, prepare_store
from storebench.run import Server, citetrack_command
from storebench.workload import (
    Facts,
    Result,
    cli_measurements,
    explain_params,
    http_measurements,
    sql_baselines,
    store_facts,
    tracked,
)

POSTGRES_URL = os.environ.get("CITETRACK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MB = 2**20


def main(argv: list[str] | None = None) -> int:
    """Generate or reuse the store, measure, print the table (and the plans with ``--explain``)."""
    args = _parse(argv)
    name = default_name(args.scale)
    spec = StoreSpec(args.dialect, args.scale, args.seed, name, _driver_url(args.postgres_url), args.sqlite_dir)
    if args.drop:
        drop_store(spec)
        print(f"dropped {spec.name}")
        return 0
    print(f"load average (1, 5, 15 min) at the start: {os.getloadavg()}", flush=True)
    generated = prepare_store(spec, citetrack_command(), reuse=args.reuse, log=_log)
    _print_store(spec, generated)
    if args.only_generate:
        return 0
    engine = admin_engine(spec)
    facts = Facts(spec, generated, citetrack_command(), args.timeout, int(args.memory_cap * MB), engine)
    open_flags = store_facts(engine, facts)
    results = list(tracked(sql_baselines(engine, facts), _log))
    results += tracked(cli_measurements(engine, facts), _log)
    serve = [*facts.citetrack, "serve", "--db", spec.url]
    with Server(serve, facts.memory_cap, after_kill=facts.end_leftover_queries) as server:
        results += tracked(http_measurements(facts, server, generated.counts, open_flags), _log)
    _print_table(results, args.scale, args.timeout, args.memory_cap)
    if args.explain:
        _print_plans(facts, args.timeout)
    engine.dispose()
    print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}; other work on the machine skews the figures")
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--dialect", choices=["postgresql", "sqlite"], default="postgresql", help="database (default postgresql)"
    )
    parser.add_argument("--scale", type=_positive, default=1.0, help="store size; 1 = 1,000,000 sources (default 1)")
    parser.add_argument("--seed", type=int, default=16, help="seed of the generated rows (default 16)")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the store made earlier with the same dialect, scale and seed"
    )
    parser.add_argument("--timeout", type=_positive, default=60.0, help="cap on each measurement, seconds (default 60)")
    parser.add_argument("--memory-cap", type=_positive, default=4096.0, metavar="MB",
                        help="kill a measured process tree over this resident memory (default 4096)")  # fmt: skip
    parser.add_argument("--explain", action="store_true", help="also print the query plans of the main queries")
    parser.add_argument("--only-generate", action="store_true", help="generate (or reuse) the store, measure nothing")
    parser.add_argument("--drop", action="store_true", help="remove the generated store of this dialect and scale")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="PostgreSQL database to hold the store's schema")
    parser.add_argument(
        "--sqlite-dir", type=Path, default=Path(tempfile.gettempdir()) / "citetrack-bench-store",
        help="folder of the SQLite store (default: citetrack-bench-store in the temp folder)",
    )  # fmt: skip
    return parser.parse_args(argv)


def _positive(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return number


def _driver_url(url: str) -> str:
    # ``postgresql://`` would make SQLAlchemy look for psycopg2; the project uses psycopg 3.
    return "postgresql+psycopg://" + url.split("://", 1)[1] if url.startswith(("postgresql://", "postgres://")) else url


def _log(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


def _print_store(spec: StoreSpec, generated: Generated) -> None:
    where = f"PostgreSQL schema {spec.name}" if spec.dialect == "postgresql" else f"SQLite {spec.sqlite_path}"
    made = "reused; generated" if generated.reused else "generated"
    as_of = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(generated.anchor))
    size = generated.size_bytes / 2**30
    print(f"\nstore: {where}, {size:.2f} GiB, {made} in {generated.seconds:.0f} s (seed {spec.seed}, as of {as_of})")
    print("rows: " + ", ".join(f"{table} {count:,}" for table, count in generated.counts.items()), flush=True)


def _print_table(results: list[Result], scale: float, timeout: float, memory_cap: float) -> None:
    """Print each measurement with its ratio to the same-run baseline of its kind, its target and the verdict."""
    baselines = {r.target.baseline: r.measured.seconds for r in results if r.target.is_baseline}
    print(f"\n{'measurement':<58}{'seconds':>9}{'× base':>8}{'peak MB':>9}  {'target':<20}{'result':<7} note")
    for result in results:
        measured, target = result.measured, result.target
        base = baselines.get(target.baseline)
        limit = target.seconds_at(scale, base)
        if measured.seconds is None:  # killed at a cap, or ended before the awaited event
            seconds, ratio = f"> {measured.elapsed:.0f}", f"> {measured.elapsed / base:.0f}" if base else ""
        else:
            seconds = f"{measured.seconds:.3f}" if measured.seconds < 10 else f"{measured.seconds:.1f}"
            ratio = f"{measured.seconds / base:.1f}" if base and target.baseline != "sql" else ""
        wanted = [f"< {limit:.2f} s" if limit is not None else ""]
        wanted.append(f"< {target.megabytes:.0f} MB" if target.megabytes else "")
        peak = f"{measured.peak_rss / MB:.0f}" if measured.peak_rss else ""
        ending = "" if measured.ended == "ok" else _ending(measured.ended, timeout, memory_cap)
        note = f"{ending} {result.note}"
        print(f"{result.name:<58}{seconds:>9}{ratio:>8}{peak:>9}  {', '.join(w for w in wanted if w):<20}"
              f"{_verdict(result, limit):<7} {note.strip()}")  # fmt: skip
    if scale < 1:
        shrink = f"limit × {scale:g} + baseline × {1 - scale:g}"
        print(f"time targets at scale {scale:g}: {shrink} (the process start does not shrink with the store)")


def _ending(ended: str, timeout: float, memory_cap: float) -> str:
    """Say why a measurement did not end normally."""
    if ended == "time cap":
        return f"killed at the {timeout:.0f} s cap;"
    if ended == "memory cap":
        return f"killed over the {memory_cap:,.0f} MB memory cap;"
    return f"{ended};"


def _verdict(result: Result, limit: float | None) -> str:
    measured, target = result.measured, result.target
    if target.is_baseline:
        return ""
    if measured.ended != "ok" or measured.seconds is None:
        return "FAIL"
    fast = limit is None or measured.seconds <= limit
    small = target.megabytes is None or measured.peak_rss <= target.megabytes * MB
    return "pass" if fast and small else "FAIL"


def _print_plans(facts: Facts, timeout: float) -> None:
    params = explain_params(facts.engine, facts)
    print("\nquery plans (parameters taken from the store: " + ", ".join(f"{k}={v}" for k, v in params.items()) + ")")
    with facts.engine.connect() as connection:
        for query, sql, plan in explain_all(connection, facts.spec.dialect, params, timeout):
            print(f"\n== {query.label}\n{sql}\n-- plan:\n{plan}")


if __name__ == "__main__":
    sys.exit(main())
