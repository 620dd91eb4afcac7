"""``citetrack verify``: check each claim against the newest text of each source it cites."""

from __future__ import annotations

import argparse
from collections import Counter

from crawler import config
from crawler.cli.options import add_db_option, add_format_option, print_json, print_table, record_id
from crawler.cli.progress import Progress
from crawler.report.text import CONFLICT_HEADERS, conflict_cells, shorten


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``verify`` command."""
    parser = subparsers.add_parser(
        "verify",
        help="verify claims against their sources' newest snapshots",
        description="Verify each (claim, cited reference) whose source has a snapshot newer than its last "
        "verification. Nothing else is recomputed; results are stored with the snapshot they were made against.",
    )
    parser.add_argument("--article", type=record_id, metavar="ID", help="only this article's claims")
    parser.add_argument(
        "--all", action="store_true", help="re-verify every pair with source text, even if already up to date"
    )
    add_db_option(parser)
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Verify the pending pairs and print a summary."""
    from crawler.jobs.verify import run_verify
    from store.engine import session_factory

    progress = Progress("verifying")
    factory = session_factory(config.db_url(args.db))
    try:
        done = run_verify(factory, args.article, force=args.all, on_start=progress.start, on_each=progress.advance)
    finally:
        progress.close()
    rows, unavailable = done.rows, done.unavailable
    verdicts = Counter(row["verdict"] for row in rows)
    summary = {
        "verified": len(rows),
        "unavailable": unavailable,
        "verdicts": dict(verdicts),
        "results": rows,
    }
    if args.format == "json":
        print_json(summary)
        return 0
    if not rows:
        print(f"nothing to verify: no source has a snapshot newer than its last verification "
              f"({unavailable} pair(s) without usable source text)")
        return 0
    print_table(
        ([r["article_id"], r["claim_index"], shorten(r["claim"], 50), f"[{r['reference']}]", r["verdict"],
          f"{r['score']:.0f}"] for r in rows),
        headers=["article", "#", "claim", "ref", "verdict", "score"],
    )
    conflicts = [[r["article_id"], r["claim_index"], f"[{r['reference']}]", *conflict_cells(conflict)]
                 for r in rows for conflict in r["conflicts"]]  # fmt: skip
    if conflicts:
        print()
        print_table(conflicts, headers=["article", "#", "ref", *CONFLICT_HEADERS])
    counts = ", ".join(f"{n} {verdict}" for verdict, n in sorted(verdicts.items()))
    print(f"verified {len(rows)} pair(s): {counts}; {unavailable} pair(s) without usable source text")
    return 0
