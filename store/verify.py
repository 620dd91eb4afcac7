"""Queries for verification: which (claim, reference) pairs need matching, and storing the results."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement, Row, ScalarSelect, Select, bindparam, case, func, literal, select, true, tuple_, update,
)  # fmt: skip
from sqlalchemy.orm import Session

from store.base import in_lists, utcnow
from store.models import Check, Citation, Claim, Reference, Snapshot, Source, Verification
from store.upsert import upsert

T = TypeVar("T")


@dataclass
class PendingPair:
    """A (claim, reference) pair whose source has a usable snapshot not yet verified against."""

    claim: Claim
    reference: Reference
    snapshot: Snapshot
    previous: Verification | None


def latest_usable_snapshot(session: Session, source_id: int, healthy: Collection[str]) -> Snapshot | None:
    """Return the snapshot with text of the source's latest check whose status is one of ``healthy``."""
    snapshot_id = session.scalar(select(usable_snapshot_id(literal(source_id), healthy)))
    return session.get(Snapshot, snapshot_id) if snapshot_id is not None else None


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


def usable_snapshot_id(source_id: ColumnElement[int | None], healthy: Collection[str]) -> ScalarSelect[int]:
    """Return the id of the snapshot with text of the source's latest healthy check, as a correlated subquery."""
    return (
        select(Check.snapshot_id)
        .join(Snapshot, Snapshot.id == Check.snapshot_id)
        .where(Check.source_id == source_id, Check.status.in_(healthy), Snapshot.text != "")
        .order_by(Check.checked_at.desc(), Check.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def newest_verification(
    selected: Any, claim_id: ColumnElement[int], reference_id: ColumnElement[int | None]
) -> ScalarSelect[Any]:
    """Return ``selected`` (a column of ``Verification``) of a pair's newest verification, as a correlated subquery."""
    return (
        select(selected)
        .where(Verification.claim_id == claim_id, Verification.reference_id == reference_id)
        .order_by(Verification.verified_at.desc(), Verification.id.desc())
        .limit(1)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class PendingBatch:
    """One batch of the pairs to verify, how many pairs of the batch have no usable source text, and the marks
    (source id, marked at) that are settled once the batch is recorded (``clear_marks``, same transaction)."""

    pairs: list[PendingPair]
    unavailable: int
    settled: list[tuple[int, datetime]] = field(default_factory=list)


def pending_batches(
    session: Session,
    article_id: int | None = None,
    *,
    force: bool = False,
    healthy: Collection[str],
    size: int = 1000,
    sources: int = 250,
) -> Iterator[PendingBatch]:
    """Yield the pairs to verify among each next ``size`` citations (keyset on the citation), chosen in SQL.

    A pair is pending when its source's newest usable snapshot (made by a check whose status is one of
    ``healthy``, with text) is not the one it was last verified against; ``force`` makes every pair with one
    pending. A pair whose source has no usable snapshot is counted (``unavailable``), not returned. Each batch
    is read when the previous one has been consumed, so the caller may commit and clear the session between.

    Without ``force`` or ``article_id`` only the citations of marked sources (``mark_sources``) are read, the
    next ``sources`` marked sources at a time (keyset on the id); the last batch of each such group carries
    their marks in ``settled``. With nothing marked this is one index lookup.
    """
    cited = select(Citation.id).join(Reference, Reference.id == Citation.reference_id)
    cited = cited.where(Reference.source_id.is_not(None))
    if article_id is not None or force:
        if article_id is not None:
            cited = cited.join(Claim, Claim.id == Citation.claim_id).where(Claim.article_id == article_id)
        for found in _pending_rows(session, cited, force=force, healthy=healthy, size=size):
            yield _batch(session, found, [])
        return
    after = 0
    while True:
        marked = select(Source.id, Source.verify_marked_at).where(Source.verify_marked_at.is_not(None))
        marks = [(row.id, row.verify_marked_at) for row in session.execute(
            marked.where(Source.id > after).order_by(Source.id).limit(sources)
        )]  # fmt: skip
        if not marks:
            return
        after = marks[-1][0]
        group = cited.where(Reference.source_id.in_([source_id for source_id, _ in marks]))
        held: list[Row[Any]] | None = None
        for found in _pending_rows(session, group, force=False, healthy=healthy, size=size):
            if held is not None:
                yield _batch(session, held, [])
            held = found
        yield _batch(session, held or [], marks)


def _pending_rows(
    session: Session, cited: Select[tuple[int]], *, force: bool, healthy: Collection[str], size: int
) -> Iterator[list[Row[Any]]]:
    """Yield, for each next ``size`` citations of ``cited`` (keyset on the id), the rows of those pending."""
    pair = (Citation.claim_id, Citation.reference_id)
    work = cited.add_columns(
        Citation.claim_id,
        Citation.reference_id,
        usable_snapshot_id(Reference.source_id, healthy).label("usable"),
        newest_verification(Verification.snapshot_id, *pair).label("verified"),
        newest_verification(Verification.id, *pair).label("previous"),
    )
    after = 0
    while True:
        bounds = cited.where(Citation.id > after).order_by(Citation.id).limit(size).subquery()
        last = session.scalar(select(func.max(bounds.c.id)))
        if last is None:
            return
        # The LIMIT keeps the database from inlining the subquery, which would evaluate each lookup twice.
        rows = work.where(Citation.id > after, Citation.id <= last).order_by(Citation.id).limit(size).subquery()
        wanted = rows.c.usable.is_(None) | (true() if force else rows.c.verified.is_distinct_from(rows.c.usable))
        found = list(session.execute(select(rows).where(wanted).order_by(rows.c.id)).all())
        after = last
        if found:
            yield found


def _batch(session: Session, found: list[Row[Any]], settled: list[tuple[int, datetime]]) -> PendingBatch:
    """Return the batch of these pending rows: the pairs with usable text loaded, the others counted."""
    usable = [row for row in found if row.usable is not None]
    return PendingBatch(_load_pairs(session, usable), len(found) - len(usable), settled)


def mark_sources(session: Session, source_ids: Iterable[int]) -> None:
    """Mark these sources for ``verify``: their citing pairs may need verifying (new text, new or moved pairs).

    Marking again moves the mark's time, so a verify run that read the older mark leaves the new one in place.
    """
    now = utcnow()
    for chunk in in_lists(sorted(set(source_ids))):
        session.execute(update(Source).where(Source.id.in_(chunk)).values(verify_marked_at=now))


def clear_marks(session: Session, settled: Collection[tuple[int, datetime]]) -> None:
    """Clear the marks a verify run has settled, each only if it was not marked again since it was read."""
    if settled:
        table = Source.__table__
        clear = table.update().where(table.c.id == bindparam("source_id"), table.c.verify_marked_at == bindparam("at"))
        session.connection().execute(
            clear.values(verify_marked_at=None), [{"source_id": sid, "at": at} for sid, at in settled]
        )


def usable_snapshots(session: Session, source_ids: Iterable[int], healthy: Collection[str]) -> dict[int, int | None]:
    """Return the usable snapshot id (``usable_snapshot_id``) of each given source, by source id."""
    found: dict[int, int | None] = {}
    for chunk in in_lists(sorted(set(source_ids))):
        query = select(Source.id, usable_snapshot_id(Source.id, healthy)).where(Source.id.in_(chunk))
        found.update((source_id, snapshot_id) for source_id, snapshot_id in session.execute(query))
    return found


def best_verdict(ranked: Sequence[str], missing: str) -> ColumnElement[str]:
    """Return a claim's best verdict (first in ``ranked``) over its citations' latest verdicts, as SQL.

    A citation never verified counts as ``missing``, and so does a claim without citations.
    """
    latest = newest_verification(Verification.verdict, Citation.claim_id, Citation.reference_id)
    rank = case({name: number for number, name in enumerate(ranked)}, value=func.coalesce(latest, missing))
    per_claim = select(func.min(rank)).where(Citation.claim_id == Claim.id).scalar_subquery()
    return case(dict(enumerate(ranked)), value=per_claim, else_=missing)


def refresh_claim_verdicts(session: Session, claim_ids: Iterable[int], ranked: Sequence[str], missing: str) -> None:
    """Store on each given claim its best verdict (``best_verdict``), which ``/api/claims?verdict=`` filters on."""
    for chunk in in_lists(sorted(set(claim_ids))):
        session.execute(update(Claim).where(Claim.id.in_(chunk)).values(verdict=best_verdict(ranked, missing)))



def _load_pairs(session: Session, rows: list[Row[Any]]) -> list[PendingPair]:
    """Load the claims, references, snapshots and previous verifications of a batch, one query per table."""
    claims = _by_id(session, Claim, {row.claim_id for row in rows})
    references = _by_id(session, Reference, {row.reference_id for row in rows})
    snapshots = _by_id(session, Snapshot, {row.usable for row in rows})
    previous = _by_id(session, Verification, {row.previous for row in rows if row.previous is not None})
    return [
        PendingPair(
            claims[row.claim_id], references[row.reference_id], snapshots[row.usable], previous.get(row.previous)
        )
        for row in rows
    ]


def _by_id(session: Session, model: type[T], ids: set[int]) -> dict[int, T]:
    """Return the rows of ``model`` with the given ids, by id (one query)."""
    found = session.scalars(select(model).where(model.id.in_(ids))) if ids else ()  # type: ignore[attr-defined]
    return {row.id: row for row in found}  # type: ignore[attr-defined]


def record_verifications(session: Session, results: Sequence[tuple[PendingPair, dict[str, Any]]]) -> list[Verification]:
    """Store verdicts (``ClaimVerdict.as_dict()``), each made against its pair's snapshot; return the rows in order.

    One upsert for the batch and one read back per 500 rows. A pair verified again against the same snapshot
    (``verify --all``, or two runs at once) is updated in place: there is one verification per claim, reference
    and snapshot (a key given twice keeps its last verdict).
    """
    now = utcnow()
    rows = {
        (pair.claim.id, pair.reference.id, pair.snapshot.id): {
            "claim_id": pair.claim.id,
            "reference_id": pair.reference.id,
            "snapshot_id": pair.snapshot.id,
            "verified_at": now,
            "verdict": result["verdict"],
            "score": float(result["score"]),
            "evidence": result["evidence"],
            "quotes": result["quotes"],
            "conflicts": result["conflicts"],
        }
        for pair, result in results
    }
    if not rows:
        return []
    statement = upsert(session, Verification)
    changed = {name: statement.excluded[name] for name in _VERIFIED}
    session.execute(statement.on_conflict_do_update(index_elements=list(_KEY), set_=changed), list(rows.values()))
    key = tuple_(*(getattr(Verification, name) for name in _KEY))
    stored: dict[tuple[int, int, int | None], Verification] = {}
    for chunk in in_lists(list(rows)):
        query = select(Verification).where(key.in_(chunk)).execution_options(populate_existing=True)
        stored.update(((row.claim_id, row.reference_id, row.snapshot_id), row) for row in session.scalars(query))
    return [stored[(pair.claim.id, pair.reference.id, pair.snapshot.id)] for pair, _ in results]


_KEY = ("claim_id", "reference_id", "snapshot_id")
_VERIFIED = ("verified_at", "verdict", "score", "evidence", "quotes", "conflicts")
