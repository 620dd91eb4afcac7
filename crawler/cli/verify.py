"""``citetrack verify``: check each claim against the newest text of each source it cites."""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy.orm import Session

from crawler import config
from crawler.cli.options import add_db_option, add_format_option, print_json, print_table, record_id
from crawler.cli.progress import Progress
from crawler.report.text import shorten
from crawler.verify import prepare_source, verify_claim
from store.engine import session_factory
from store.queries import get_article
from store.verify import PendingPair, pending_pairs, record_verification


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
    factory = session_factory(config.db_url(args.db))
    with factory.begin() as session:
        if args.article is not None:
            get_article(session, args.article)
        pending, unavailable = pending_pairs(session, args.article, force=args.all)
        rows = _verify(session, pending)
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
    counts = ", ".join(f"{n} {verdict}" for verdict, n in sorted(verdicts.items()))
    print(f"verified {len(rows)} pair(s): {counts}; {unavailable} pair(s) without usable source text")
    return 0


def _verify(session: Session, pending: list[PendingPair]) -> list[dict[str, Any]]:
    """Match every pending pair, preparing each snapshot's text once."""
    by_snapshot: dict[int, list[PendingPair]] = defaultdict(list)
    for pair in pending:
        by_snapshot[pair.snapshot.id].append(pair)
    progress = Progress("verifying", total=len(pending))
    rows = []
    for pairs in by_snapshot.values():
        prepared = prepare_source(pairs[0].snapshot.text or "")
        for pair in pairs:
            quotes = [quote["text"] for quote in pair.claim.quotes]
            result = verify_claim(pair.claim.text, prepared, quotes=quotes).as_dict()
            # Read before recording: re-verifying against the same snapshot updates that very row.
            previous_verdict = pair.previous.verdict if pair.previous else None
            verification = record_verification(session, pair, result)
            rows.append(
                {
                    "article_id": pair.claim.article_id,
                    "claim_id": pair.claim.id,
                    "claim_index": pair.claim.index,
                    "claim": pair.claim.text,
                    "reference": pair.reference.number,
                    "snapshot_id": pair.snapshot.id,
                    "verification_id": verification.id,
                    "verdict": result["verdict"],
                    "score": result["score"],
                    "previous_verdict": previous_verdict,
                }
            )
            progress.advance()
    progress.close()
    return sorted(rows, key=lambda r: (r["article_id"], r["claim_index"], r["reference"]))
