"""Queries for verification: which (claim, reference) pairs need matching, and storing the results."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.base import utcnow
from store.models import Check, Citation, Claim, Reference, Snapshot, Verification
from store.upsert import upsert


@dataclass
class PendingPair:
    """A (claim, reference) pair whose source has a usable snapshot not yet verified against."""

    claim: Claim
    reference: Reference
    snapshot: Snapshot
    previous: Verification | None


def latest_usable_snapshot(session: Session, source_id: int, healthy: Collection[str]) -> Snapshot | None:
    """Return the snapshot with text of the source's latest check whose status is one of ``healthy``."""
    return session.scalars(
        select(Snapshot)
        .join(Check, Check.snapshot_id == Snapshot.id)
        .where(Snapshot.source_id == source_id, Check.status.in_(healthy), Snapshot.text != "")
        .order_by(Check.checked_at.desc(), Check.id.desc())
        .limit(1)
    ).first()


def latest_verification(session: Session, claim_id: int, reference_id: int) -> Verification | None:
    """Return the newest verification of a claim against a reference."""
    return session.scalars(
        select(Verification)
        .where(Verification.claim_id == claim_id, Verification.reference_id == reference_id)
        .order_by(Verification.verified_at.desc(), Verification.id.desc())
        .limit(1)
    ).first()


def cited_pairs(
    session: Session, article_id: int | None = None, *, source_id: int | None = None
) -> list[tuple[Claim, Reference]]:
    """Return every (claim, reference) pair that has a source: of one article, citing one source, or all."""
    query = (
        select(Claim, Reference)
        .join(Citation, Citation.claim_id == Claim.id)
        .join(Reference, Reference.id == Citation.reference_id)
        .where(Reference.source_id.is_not(None))
        .order_by(Claim.article_id, Claim.index, Reference.number)
    )
    if article_id is not None:
        query = query.where(Claim.article_id == article_id)
    if source_id is not None:
        query = query.where(Reference.source_id == source_id)
    return [(claim, reference) for claim, reference in session.execute(query).all()]


def pending_pairs(
    session: Session, article_id: int | None = None, *, force: bool = False, healthy: Collection[str]
) -> tuple[list[PendingPair], int]:
    """Return the pairs to verify and how many pairs have no usable source text.

    A pair is pending when its source's newest usable snapshot (made by a check whose status is one of
    ``healthy``) is not the one it was last verified against; ``force`` makes every pair with one pending.
    """
    snapshots: dict[int, Snapshot | None] = {}
    pending: list[PendingPair] = []
    unavailable = 0
    for claim, reference in cited_pairs(session, article_id):
        source_id = reference.source_id
        assert source_id is not None
        if source_id not in snapshots:
            snapshots[source_id] = latest_usable_snapshot(session, source_id, healthy)
        snapshot = snapshots[source_id]
        if snapshot is None:
            unavailable += 1
            continue
        previous = latest_verification(session, claim.id, reference.id)
        if force or previous is None or previous.snapshot_id != snapshot.id:
            pending.append(PendingPair(claim, reference, snapshot, previous))
    return pending, unavailable


def record_verification(session: Session, pair: PendingPair, result: dict[str, Any]) -> Verification:
    """Store one verdict (``ClaimVerdict.as_dict()``) made against the pair's snapshot.

    A pair verified again against the same snapshot (``verify --all``, or two runs at once) is updated in
    place: there is one verification per claim, reference and snapshot.
    """
    key = {"claim_id": pair.claim.id, "reference_id": pair.reference.id, "snapshot_id": pair.snapshot.id}
    values = {
        "verified_at": utcnow(),
        "verdict": result["verdict"],
        "score": float(result["score"]),
        "evidence": result["evidence"],
        "quotes": result["quotes"],
        "conflicts": result["conflicts"],
    }
    statement = upsert(session, Verification).values(**key, **values)
    session.execute(statement.on_conflict_do_update(index_elements=list(key), set_=values))
    query = select(Verification).filter_by(**key).execution_options(populate_existing=True)
    return session.scalars(query).one()
