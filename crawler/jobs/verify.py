"""``citetrack verify``'s work: verify the pending pairs of one article (or all) in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from crawler.jobs.verification import Verified, pending, verify_pairs
from store.queries import get_article
from store.verify import clear_marks


@dataclass(frozen=True)
class VerifyRun:
    """What a verify run did: one row per verified pair, and how many pairs have no usable source text."""

    rows: list[dict[str, Any]]
    unavailable: int


def run_verify(
    factory: sessionmaker[Session],
    article_id: int | None,
    *,
    force: bool,
    on_start: Callable[[int], None] = lambda total: None,
    on_each: Callable[[], None] | None = None,
) -> VerifyRun:
    """Verify each pair whose source has a newer usable snapshot (every pair with text when ``force``).

    The pairs are chosen in SQL and read in batches; each batch is verified and committed before the next is
    read, so memory holds one batch (plus the result rows) and an interrupted run keeps the batches it did.
    A plain run reads only the sources marked since (new usable text, new pairs) and clears their marks in
    the transaction that stores their results, so a run that stops early leaves the rest marked.
    ``on_start`` gets each batch's number of pairs as the running total grows.
    """
    rows: list[dict[str, Any]] = []
    unavailable = total = 0
    with factory() as session:
        if article_id is not None:
            get_article(session, article_id)
        for batch in pending(session, article_id, force=force):
            total += len(batch.pairs)
            on_start(total)
            unavailable += batch.unavailable
            rows += (_row(verified) for verified in verify_pairs(session, batch.pairs, on_each))
            clear_marks(session, batch.settled)
            session.commit()
            session.expunge_all()
    return VerifyRun(sorted(rows, key=lambda r: (r["article_id"], r["claim_index"], r["reference"])), unavailable)


def _row(verified: Verified) -> dict[str, Any]:
    """Return the JSON row of one verified pair (field names are a contract: README, ``verify --format json``)."""
    pair = verified.pair
    return {
        "article_id": pair.claim.article_id,
        "claim_id": pair.claim.id,
        "claim_index": pair.claim.index,
        "claim": pair.claim.text,
        "reference": pair.reference.number,
        "snapshot_id": pair.snapshot.id,
        "verification_id": verified.verification.id,
        "verdict": verified.verdict.verdict,
        "score": verified.verdict.score,
        "previous_verdict": verified.previous_verdict,
        "conflicts": [conflict.as_dict() for conflict in verified.verdict.conflicts],
    }
