"""Read-only listings for the web API, paginated in SQL: articles, claims, sources and a source's snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session, aliased, defer

from store import search
from store.errors import NotFound
from store.models import Citation, Claim, Snapshot, Source, Verification
from store.verify import newest_verification


# A filtered count stops here: the filters the indexes cannot answer alone (verdict, text) are not worth
# reading a whole store to count; ``Page.total_exact`` says when the total is this lower bound.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class Page:
    """One page of rows, the total number of rows over all pages, and the keyset cursor of the next page.

    ``next_after`` is the id of the page's last row (pass it as ``after`` for the next page; ``None`` on the last
    page); ``total_exact`` is false when ``total`` is a count capped at ``COUNT_CAP``.
    """

    items: list[dict[str, Any]]
    total: int
    next_after: int | None = None
    total_exact: bool = True


def capped_count(session: Session, query: Select[Any]) -> tuple[int, bool]:
    """Return how many rows ``query`` has, counting at most ``COUNT_CAP`` + 1, and whether that is exact."""
    limited = query.order_by(None).limit(COUNT_CAP + 1).subquery()
    found = session.scalar(select(func.count()).select_from(limited)) or 0
    return min(found, COUNT_CAP), found <= COUNT_CAP


def next_cursor(ids: list[int], limit: int) -> int | None:
    """Return the keyset cursor after a page of ``ids`` (``None`` when the page is not full: it is the last)."""
    return ids[-1] if len(ids) == limit else None


def list_claims(
    session: Session,
    offset: int,
    limit: int,
    *,
    missing: str,
    verdict: str | None = None,
    text: str | None = None,
    article_id: int | None = None,
    after: int | None = None,
) -> Page:
    """Return claims in article order, each with its best verdict and its citations' latest checks.

    ``missing`` names the verdict of a citation never verified; a claim's verdict is the best of its citations'
    latest verdicts, stored on the claim (``Claim.verdict``, kept by verify), so ``verdict`` filters through
    its index. ``text`` keeps the claims containing it (through the full-text index, ``store.search``);
    ``after`` (a claim id) continues after that claim.
    """
    query = select(Claim.id)
    if article_id is not None:
        query = query.where(Claim.article_id == article_id)
    if text:
        query = query.where(search.contains_words(session.get_bind().dialect.name, Claim.id, Claim.text, text))
    if verdict is not None:
        query = query.where(Claim.verdict == verdict)
    if article_id is not None and verdict is None and not text:
        total, exact = session.scalar(select(func.count()).select_from(query.subquery())) or 0, True
    else:  # counting every claim of a newsroom's store takes longer than the page: stop at COUNT_CAP
        total, exact = capped_count(session, query)
    if after is not None:
        key = session.execute(select(Claim.article_id, Claim.index).where(Claim.id == after)).first()
        if key is None:
            raise NotFound(f"no claim with id {after}")
        query = query.where(tuple_(Claim.article_id, Claim.index) > tuple_(*key))
    ids = list(session.scalars(query.order_by(Claim.article_id, Claim.index).offset(offset).limit(limit)))
    details = select(Claim.id, Claim.article_id, Claim.index, Claim.text, Claim.verdict).where(Claim.id.in_(ids))
    found = {row.id: row for row in session.execute(details)}
    checks = _latest_checks(session, ids, missing)
    items = [
        {
            "id": claim_id,
            "article_id": found[claim_id].article_id,
            "index": found[claim_id].index,
            "text": found[claim_id].text,
            "citations": [check["reference"] for check in checks.get(claim_id, [])],
            "verdict": found[claim_id].verdict,
            "checks": checks.get(claim_id, []),
        }
        for claim_id in ids
    ]
    return Page(items, total, next_cursor(ids, limit), exact)


def _latest_checks(session: Session, claim_ids: list[int], missing: str) -> dict[int, list[dict[str, Any]]]:
    """Return each claim's citations in order with the verdict, score and conflicts of their latest verification."""
    latest = aliased(Verification)
    newest = newest_verification(Verification.id, Citation.claim_id, Citation.reference_id)
    query = (
        select(Citation.claim_id, Citation.number, latest.verdict, latest.score, latest.conflicts)
        .outerjoin(latest, latest.id == newest)
        .where(Citation.claim_id.in_(claim_ids))
        .order_by(Citation.claim_id, Citation.number)
    )
    checks: dict[int, list[dict[str, Any]]] = {}
    for row in session.execute(query) if claim_ids else ():
        checks.setdefault(row.claim_id, []).append(
            {
                "reference": row.number,
                "verdict": row.verdict or missing,
                "score": row.score,
                "conflicts": row.conflicts if row.conflicts is not None else [],
            }
        )
    return checks


def list_sources(session: Session, offset: int, limit: int, status: str | None, after: int | None = None) -> Page:
    """Return sources by id with their latest status, optionally only those with ``status``, after id ``after``."""
    query = select(Source)
    if status is not None:
        query = query.where(Source.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if after is not None:
        query = query.where(Source.id > after)
    rows = list(session.scalars(query.order_by(Source.id).offset(offset).limit(limit)))
    return Page([source_row(source) for source in rows], total, next_cursor([row.id for row in rows], limit))


def source_row(source: Source) -> dict[str, Any]:
    """Return a source's identity and latest status as a row of a list or a page."""
    return {
        "id": source.id,
        "url": source.url,
        "status": source.status,
        "status_at": source.status_at,
        "last_checked_at": source.last_checked_at,
        "replacement_url": source.replacement_url,
    }


def source_snapshots(session: Session, source_id: int, offset: int, limit: int) -> tuple[dict[str, Any], Page]:
    """Return a source and one page of its snapshot history, newest first (text length, not the text)."""
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"no source with id {source_id}")
    length = func.length(Snapshot.text)
    query = (
        select(Snapshot, length)
        .where(Snapshot.source_id == source_id)
        .options(defer(Snapshot.text), defer(Snapshot.fetches))
        .order_by(Snapshot.fetched_at.desc(), Snapshot.id.desc())
        .offset(offset)
        .limit(limit)
    )
    items = [
        {
            "id": snap.id,
            "fetched_at": snap.fetched_at,
            "http_status": snap.http_status,
            "final_url": snap.final_url,
            "redirect_chain": snap.redirect_chain,
            "content_type": snap.content_type,
            "content_hash": snap.content_hash,
            "title": snap.title,
            "extractor": snap.extractor,
            "text_length": text_length,
        }
        for snap, text_length in session.execute(query)
    ]
    total = session.scalar(select(func.count(Snapshot.id)).where(Snapshot.source_id == source_id)) or 0
    return source_row(source), Page(items, total)
