"""WARC export at scale: time and peak memory of ``export warc --all`` on a large store against a small one.

    python benchmarks/bench_warc.py [--snapshots 2000] [--baseline 500] [--body-size 20000]

Two stores are filled in the same run (benchmarks/warcstore.py: a redirect hop and a page per snapshot,
incompressible bodies) in temporary SQLite files, the baseline with ``--baseline`` snapshots and the other
with ``--snapshots``; each is exported once timed (wall and CPU seconds: the CPU figure holds on a busy machine),
then once under tracemalloc for its peak Python allocation. Streaming shows as a peak ratio near 1 while the
snapshot ratio is 4. The baseline is larger than one batch of rows (``BATCH_SIZE``), so both runs read full ones.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.warcstore import fill_store
from crawler.jobs.warc import WarcSummary, export_warc
from store.engine import session_factory
from store.exports import ExportSelection


def main(argv: list[str] | None = None) -> int:
    """Print time, records, size and peak memory per store, and the ratios of the large one to the baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=2000, help="snapshots in the measured store")
    parser.add_argument("--baseline", type=int, default=500, help="snapshots in the baseline store")
    parser.add_argument("--body-size", type=int, default=20000, help="bytes per stored body")
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for count in (args.baseline, args.snapshots):
            db_url = f"sqlite:///{Path(folder) / f'{count}.db'}"
            fill_store(db_url, count, args.body_size)
            results[count] = _measure(db_url, Path(folder) / f"{count}.warc.gz")
    print(f"{'snapshots':>9} {'records':>8} {'MB out':>7} {'wall s':>7} {'CPU s':>6} {'CPU ms/snap':>11} {'peak MB':>8}")
    for count, (summary, wall, cpu, peak) in results.items():
        print(f"{count:>9} {summary.records:>8} {summary.bytes / 1e6:>7.1f} {wall:>7.2f} {cpu:>6.2f} "
              f"{1000 * cpu / count:>11.2f} {peak / 1e6:>8.2f}")  # fmt: skip
    (_, _, base_cpu, base_peak), (_, _, big_cpu, big_peak) = results[args.baseline], results[args.snapshots]
    print(f"ratio {args.snapshots}/{args.baseline}: snapshots {args.snapshots / args.baseline:.1f}x, "
          f"CPU time {big_cpu / base_cpu:.2f}x, peak memory {big_peak / base_peak:.2f}x")  # fmt: skip
    return 0


def _measure(db_url: str, output: Path) -> tuple[WarcSummary, float, float, int]:
    """Export once timed, then once under tracemalloc; return the summary, wall and CPU seconds, peak bytes."""
    factory = session_factory(db_url)
    wall, cpu = time.perf_counter(), time.process_time()
    summary = export_warc(factory, ExportSelection(), output)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    tracemalloc.start()
    export_warc(factory, ExportSelection(), output)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return summary, wall, cpu, peak


if __name__ == "__main__":
    sys.exit(main())
