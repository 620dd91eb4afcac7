"""Stored-body compression: gzip levels on real pages (aeb-dev), size and time against the level the crawl uses.

    python benchmarks/bench_gzip.py [--data ../shared/eval/aeb-dev] [--levels 1 5 6 9] [--rounds 5]

Each page's raw HTML is compressed at every level, levels interleaved page by page so that machine load hits
them alike; a page's time is its fastest of ``--rounds``. Sizes are the compressed total as a share of the raw
total; times and sizes are also given as ratios to ``GZIP_LEVEL`` (crawler/extract/body.py).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.extract.body import GZIP_LEVEL

DEFAULT_DATA = REPO.parent / "shared" / "eval" / "aeb-dev"


def main(argv: list[str] | None = None) -> int:
    """Print, per gzip level, the compressed share of the raw size and the time per page, with ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="aeb-dev folder (html/*.html.gz)")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 5, 6, 9], help="gzip levels to compare")
    parser.add_argument("--rounds", type=int, default=5, help="timings per page and level; the fastest counts")
    args = parser.parse_args(argv)
    levels = sorted({*args.levels, GZIP_LEVEL})
    pages = [gzip.decompress(path.read_bytes()) for path in sorted((args.data / "html").glob("*.html.gz"))]
    if not pages:
        print(f"bench_gzip: no pages in {args.data / 'html'}", file=sys.stderr)
        return 1
    sizes, seconds = dict.fromkeys(levels, 0), dict.fromkeys(levels, 0.0)
    for page in pages:
        for level in levels:
            best = float("inf")
            for _ in range(args.rounds):
                started = time.perf_counter()
                compressed = gzip.compress(page, level)
                best = min(best, time.perf_counter() - started)
            sizes[level] += len(compressed)
            seconds[level] += best
    raw = sum(len(page) for page in pages)
    mean_kb = raw / len(pages) / 1024
    print(f"{len(pages)} aeb-dev pages, {mean_kb:.0f} KB raw on average; the crawl uses level {GZIP_LEVEL}")
    print(f"{'level':>5} {'% of raw':>9} {'ms/page':>8} {'size ratio':>11} {'time ratio':>11}")
    for level in levels:
        size_ratio = sizes[level] / sizes[GZIP_LEVEL]
        time_ratio = seconds[level] / seconds[GZIP_LEVEL]
        share = 100 * sizes[level] / raw
        per_page = 1000 * seconds[level] / len(pages)
        print(f"{level:>5} {share:>8.1f}% {per_page:>8.2f} {size_ratio:>11.3f} {time_ratio:>11.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
