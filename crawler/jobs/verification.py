"""Verify stored claims against source text and record the verdicts: the one routine of verify, drift and archive."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from crawler.enums import HEALTHY, Verdict
from crawler.report.attribution import RANKED
from crawler.verify import ClaimVerdict, PreparedSource, prepare_source, verify_claim
from store.models import Claim, Verification
from store.verify import PendingBatch, PendingPair, pending_batches, record_verifications, refresh_claim_verdicts


@dataclass(frozen=True)
class Verified:
    """One pair verified against its snapshot: the verdict, the stored row, and the verdict it had before."""

    pair: PendingPair
    verdict: ClaimVerdict
    verification: Verification
    previous_verdict: str | None


def claim_verdict(claim: Claim, prepared: PreparedSource) -> ClaimVerdict:
    """Return the verdict of a stored claim (its text and quoted spans) against a prepared source text.

    Every verdict may be ``contradicted``, with its conflicts: verify, drift and archived copies alike.
    """
    return verify_claim(claim.text, prepared, quotes=[quote["text"] for quote in claim.quotes], contradicted=True)


def verify_pairs(
    session: Session, pairs: Iterable[PendingPair], on_each: Callable[[], None] | None = None
) -> list[Verified]:
    """Verify each pair against its snapshot's text, prepared once per snapshot, and record each verdict.

    Each claim's best verdict (what the claim lists filter on) is brought up to date in the same transaction.
    """
    by_snapshot: dict[int, list[PendingPair]] = defaultdict(list)
    for pair in pairs:
        by_snapshot[pair.snapshot.id].append(pair)
    judged = []
    for group in by_snapshot.values():
        prepared = prepare_source(group[0].snapshot.text or "")
        for pair in group:
            # Read before recording: re-verifying against the same snapshot updates that very row.
            judged.append((pair, claim_verdict(pair.claim, prepared), pair.previous.verdict if pair.previous else None))
            if on_each is not None:
                on_each()
    stored = record_verifications(session, [(pair, verdict.as_dict()) for pair, verdict, _ in judged])
    refresh_claim_verdicts(session, (pair.claim.id for pair, _, _ in judged), RANKED, Verdict.UNAVAILABLE)
    return [Verified(pair, verdict, row, previous) for (pair, verdict, previous), row in zip(judged, stored, strict=True)]


def pending(session: Session, article_id: int | None, *, force: bool) -> Iterator[PendingBatch]:
    """Yield, in batches, the pairs whose source has a usable snapshot newer than their last verification.

    Usable: the snapshot of the source's latest healthy check, with text. Each batch also counts the pairs
    whose source has none. Without ``article_id`` or ``force``, only the marked sources' pairs are read
    (``store.verify.pending_batches``); the caller clears each batch's ``settled`` marks with its results.
    """
    return pending_batches(session, article_id, force=force, healthy=HEALTHY)
