"""Drift: re-verify supported claims against a source's new snapshot and keep its drift flag."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select, union
from sqlalchemy.orm import Session

from crawler.enums import HEALTHY, SUPPORTING, HealthStatus, Verdict
from crawler.health.drift import ClaimDrift, best_passage, support_dropped, turned_contradicted
from crawler.jobs.flags import keep_archive, open_flag
from store.models import Check, Claim, Flag, Reference, Snapshot, Verification
from store.verify import PendingPair, cited_pairs, mark_sources


def detect_drift_since(session: Session, since: datetime) -> list[Flag]:
    """Run ``detect_drift`` on every usable snapshot a check fetched at or after ``since``; return the open drift flags.

    A fetched check may lead back to an older snapshot (a source that flips back to an earlier version).
    """
    rows = session.execute(
        select(Snapshot, func.max(Check.checked_at))
        .join(Check, Check.snapshot_id == Snapshot.id)
        .where(
            Check.checked_at >= since,
            Check.outcome == "fetched",
            Check.status.in_(HEALTHY),
            Snapshot.source_id.in_(_may_drift()),
        )
        .group_by(Snapshot.id)
        .order_by(func.max(Check.checked_at), Snapshot.id)
    ).all()
    flags = [detect_drift(session, snapshot, seen_at) for snapshot, seen_at in rows]
    return [flag for flag in flags if flag is not None and flag.resolved_at is None]


def _may_drift() -> Select[tuple[int]]:
    """Sources ``detect_drift`` can change: a claim was once supported by them, or a drift flag is open."""
    supported = (
        select(Snapshot.source_id)
        .join(Verification, Verification.snapshot_id == Snapshot.id)
        .where(Verification.verdict.in_(SUPPORTING))
    )
    drifting = select(Flag.source_id).where(Flag.status == HealthStatus.DRIFTED, Flag.resolved_at.is_(None))
    return union(supported, drifting)


def detect_drift(session: Session, snapshot: Snapshot, seen_at: datetime | None = None) -> Flag | None:
    """Re-verify each claim another snapshot supported against ``snapshot``; flag or clear drift; return the flag.

    A claim drifts when its supporting passage is gone and the support fell, or when a passage the old snapshot
    did not have now contradicts it. ``seen_at`` is when a check found ``snapshot`` (default: when it was first
    fetched).
    """
    # Imported here: the matching engine (trafilatura, numpy) is loaded only when a snapshot is re-verified, not
    # by every health pass (``crawl --due`` with nothing due answers in well under a second).
    from crawler.jobs.verification import verify_pairs

    supported = []
    for claim, reference in cited_pairs(session, source_id=snapshot.source_id):
        previous = _last_support(session, claim.id, reference.id, snapshot)
        if previous is not None:
            supported.append(PendingPair(claim, reference, snapshot, previous))
    fresh = [pair for pair in supported if _verification_on(session, pair) is None]
    verify_pairs(session, fresh)
    if fresh:  # verified against this snapshot, which may not be the source's usable one: verify looks again
        mark_sources(session, [snapshot.source_id])
    drifts = []
    for pair in supported:
        previous, current = pair.previous, _verification_on(session, pair)
        assert previous is not None and current is not None
        old, new = (previous.verdict, previous.score, previous.evidence), (current.verdict, current.score)
        if support_dropped(*old, *new, snapshot.text or "") or turned_contradicted(
            previous.verdict, current.verdict, current.evidence, _text_of(session, previous.snapshot_id)
        ):
            drifts.append(_drift_row(pair.claim, pair.reference, previous, current, snapshot))
    return _sync_flag(session, snapshot, seen_at or snapshot.fetched_at, drifts)


def _last_support(session: Session, claim_id: int, reference_id: int, snapshot: Snapshot) -> Verification | None:
    """Return the newest supporting verification of the pair made against another snapshot of the source."""
    return session.scalars(
        select(Verification)
        .join(Snapshot, Snapshot.id == Verification.snapshot_id)
        .where(
            Verification.claim_id == claim_id,
            Verification.reference_id == reference_id,
            Verification.verdict.in_(SUPPORTING),
            Snapshot.source_id == snapshot.source_id,
            Snapshot.id != snapshot.id,
        )
        .order_by(Verification.verified_at.desc(), Verification.id.desc())
        .limit(1)
    ).first()


def _text_of(session: Session, snapshot_id: int | None) -> str:
    """Return the text of a snapshot (empty if it is gone)."""
    snapshot = session.get(Snapshot, snapshot_id) if snapshot_id is not None else None
    return (snapshot.text or "") if snapshot is not None else ""


def _verification_on(session: Session, pair: PendingPair) -> Verification | None:
    """Return the verification of the pair made against its snapshot, if there is one yet."""
    return session.scalars(
        select(Verification).filter_by(
            claim_id=pair.claim.id, reference_id=pair.reference.id, snapshot_id=pair.snapshot.id
        )
    ).first()


def _drift_row(claim: Claim, reference: Reference, previous: Verification, current: Verification, snapshot: Snapshot) -> dict:
    old_snapshot = previous.snapshot_id
    row = ClaimDrift(
        claim.id, claim.article_id, reference.number, previous.verdict, current.verdict, previous.score,
        current.score, best_passage(previous.evidence), best_passage(current.evidence), current.conflicts,
    ).as_dict()  # fmt: skip
    row.update({"old_snapshot_id": old_snapshot, "new_snapshot_id": snapshot.id, "new_snapshot_at": snapshot.fetched_at.isoformat()})
    return row


def _sync_flag(session: Session, snapshot: Snapshot, seen_at: datetime, drifts: list[dict]) -> Flag | None:
    """Open, update or clear the source's drift flag after a check found ``snapshot`` at ``seen_at``."""
    flag = open_flag(session, snapshot.source_id, drift=True)
    if not drifts:
        if flag is not None and seen_at > flag.last_seen:
            flag.resolved_at, flag.resolution = seen_at, f"support restored in snapshot {snapshot.id}"
        return flag
    for row in drifts:
        old = session.get(Snapshot, row["old_snapshot_id"])
        row["old_snapshot_at"] = old.fetched_at.isoformat() if old is not None else None
    if flag is None:
        flag = Flag(source_id=snapshot.source_id, status=HealthStatus.DRIFTED, first_seen=seen_at,
                    last_seen=seen_at, checks=0, confirmed=True, confirmed_at=seen_at)  # fmt: skip
        session.add(flag)
    if (flag.evidence or {}).get("new_snapshot_id") != snapshot.id:
        flag.checks = (flag.checks or 0) + 1
    flag.last_seen = seen_at
    contradicted = any(row["new_verdict"] == Verdict.CONTRADICTED for row in drifts)
    rule = "contradicted" if contradicted else "passage_gone"
    flag.evidence = keep_archive(flag.evidence, {"rule": rule, "new_snapshot_id": snapshot.id, "claims": drifts})
    session.flush()
    return flag
