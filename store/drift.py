"""Drift in the store: re-verify supported claims against a source's new snapshot and keep its drift flag."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select, union
from sqlalchemy.orm import Session

from crawler.health.drift import (
    SUPPORTING,
    ClaimDrift,
    best_passage,
    reverify,
    support_dropped,
)
from crawler.health.outcome import DRIFTED, HEALTHY
from crawler.verify import PreparedSource, prepare_source
from store.health import keep_archive, open_flag
from store.models import Check, Claim, Flag, Reference, Snapshot, Verification
from store.verify import PendingPair, cited_pairs, record_verification


def detect_drift_since(session: Session, since: datetime) -> list[Flag]:
    """Run ``detect_drift`` on every usable snapshot fetched at or after ``since``; return the open drift flags."""
    snapshots = session.scalars(
        select(Snapshot)
        .where(
            Snapshot.fetched_at >= since,
            Snapshot.id.in_(select(Check.snapshot_id).where(Check.status.in_(HEALTHY))),
            Snapshot.source_id.in_(_may_drift()),
        )
        .order_by(Snapshot.fetched_at, Snapshot.id)
    ).all()
    flags = [detect_drift(session, snapshot) for snapshot in snapshots]
    return [flag for flag in flags if flag is not None and flag.resolved_at is None]


def _may_drift() -> Select[tuple[int]]:
    """Sources ``detect_drift`` can change: a claim was once supported by them, or a drift flag is open."""
    supported = (
        select(Snapshot.source_id)
        .join(Verification, Verification.snapshot_id == Snapshot.id)
        .where(Verification.verdict.in_(SUPPORTING))
    )
    drifting = select(Flag.source_id).where(Flag.status == DRIFTED, Flag.resolved_at.is_(None))
    return union(supported, drifting)


def detect_drift(session: Session, snapshot: Snapshot) -> Flag | None:
    """Re-verify each claim an older snapshot supported against ``snapshot``; flag or clear drift; return the flag."""
    prepared: PreparedSource | None = None
    drifts: list[dict] = []
    for claim, reference in cited_pairs(session, source_id=snapshot.source_id):
        previous = _last_support(session, claim.id, reference.id, snapshot)
        if previous is None:
            continue
        current = _verification_on(session, claim.id, reference.id, snapshot.id)
        if current is None:
            prepared = prepared or prepare_source(snapshot.text or "")
            result = reverify(claim.text, [quote["text"] for quote in claim.quotes], prepared)
            current = record_verification(session, PendingPair(claim, reference, snapshot, previous), result)
        if support_dropped(previous.verdict, previous.score, previous.evidence, current.verdict, current.score, snapshot.text or ""):
            drifts.append(_drift_row(claim, reference, previous, current, snapshot))
    return _sync_flag(session, snapshot, drifts)


def _last_support(session: Session, claim_id: int, reference_id: int, snapshot: Snapshot) -> Verification | None:
    """Return the newest supporting verification of the pair made against an older snapshot."""
    return session.scalars(
        select(Verification)
        .join(Snapshot, Snapshot.id == Verification.snapshot_id)
        .where(
            Verification.claim_id == claim_id,
            Verification.reference_id == reference_id,
            Verification.verdict.in_(SUPPORTING),
            Snapshot.source_id == snapshot.source_id,
            Snapshot.fetched_at < snapshot.fetched_at,
        )
        .order_by(Snapshot.fetched_at.desc(), Verification.id.desc())
        .limit(1)
    ).first()


def _verification_on(session: Session, claim_id: int, reference_id: int, snapshot_id: int) -> Verification | None:
    return session.scalars(
        select(Verification)
        .where(Verification.claim_id == claim_id, Verification.reference_id == reference_id, Verification.snapshot_id == snapshot_id)
        .order_by(Verification.id.desc())
        .limit(1)
    ).first()


def _drift_row(claim: Claim, reference: Reference, previous: Verification, current: Verification, snapshot: Snapshot) -> dict:
    old_snapshot = previous.snapshot_id
    row = ClaimDrift(
        claim.id, claim.article_id, reference.number, previous.verdict, current.verdict, previous.score,
        current.score, best_passage(previous.evidence), best_passage(current.evidence),
    ).as_dict()  # fmt: skip
    row.update({"old_snapshot_id": old_snapshot, "new_snapshot_id": snapshot.id, "new_snapshot_at": snapshot.fetched_at.isoformat()})
    return row


def _sync_flag(session: Session, snapshot: Snapshot, drifts: list[dict]) -> Flag | None:
    """Open, update or clear the source's drift flag after checking ``snapshot``."""
    flag = open_flag(session, snapshot.source_id, drift=True)
    if not drifts:
        if flag is not None and snapshot.fetched_at > flag.last_seen:
            flag.resolved_at, flag.resolution = snapshot.fetched_at, f"support restored in snapshot {snapshot.id}"
        return flag
    for row in drifts:
        old = session.get(Snapshot, row["old_snapshot_id"])
        row["old_snapshot_at"] = old.fetched_at.isoformat() if old is not None else None
    if flag is None:
        flag = Flag(source_id=snapshot.source_id, status=DRIFTED, first_seen=snapshot.fetched_at,
                    last_seen=snapshot.fetched_at, checks=0, confirmed=True, confirmed_at=snapshot.fetched_at)  # fmt: skip
        session.add(flag)
    if (flag.evidence or {}).get("new_snapshot_id") != snapshot.id:
        flag.checks = (flag.checks or 0) + 1
    flag.last_seen = snapshot.fetched_at
    flag.evidence = keep_archive(flag.evidence, {"rule": "passage_gone", "new_snapshot_id": snapshot.id, "claims": drifts})
    session.flush()
    return flag
