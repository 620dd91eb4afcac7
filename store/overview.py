"""Aggregate queries behind the overview: per-article counts, one source's history, and store-wide totals.

Every function runs a fixed number of queries whatever the number of articles, claims or checks: counts come
from ``GROUP BY`` in SQL, pages from ``OFFSET``/``LIMIT``. A citation's verdict is that of its latest verification;
a citation with none counts under ``None`` (the callers name it: ``unavailable``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, Subquery, and_, case, distinct, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from store.browse import Page, next_cursor, source_row
from store.errors import NotFound
from store.models import Article, Check, Citation, Claim, Flag, Reference, Snapshot, Source, Verification

ArticleSort = Literal["newest", "problems"]


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles to list: by outlet (the publisher, any case) and publication time, both ends included."""

    outlet: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def latest_verdicts(article_ids: Sequence[int] | None = None) -> Subquery:
    """Return a subquery of each citation's latest verdict: ``article_id``, ``claim_id``, ``reference_id``, ``verdict``.

    Every citation is a row: a dangling one, or one never verified, has a NULL ``verdict``. The latest
    verification is the one no other of the same claim and reference is newer than (by time, then id): an
    anti-join on the (claim, reference, time) index, cheaper than ranking every verification.
    """
    newer = aliased(Verification)
    superseded = exists().where(
        newer.claim_id == Verification.claim_id,
        newer.reference_id == Verification.reference_id,
        or_(
            newer.verified_at > Verification.verified_at,
            and_(newer.verified_at == Verification.verified_at, newer.id > Verification.id),
        ),
    )
    latest = and_(
        Verification.claim_id == Citation.claim_id, Verification.reference_id == Citation.reference_id, ~superseded
    )
    query = (
        select(Claim.article_id, Citation.claim_id, Citation.reference_id, Verification.verdict)
        .join(Claim, Claim.id == Citation.claim_id)
        .outerjoin(Verification, latest)
    )
    if article_ids is not None:
        query = query.where(Claim.article_id.in_(article_ids))
    return query.subquery()


def _flagged() -> Subquery:
    """Return a subquery of the sources with an open problem flag and whether one of their flags is confirmed."""
    return (
        select(Flag.source_id, func.max(case((Flag.confirmed.is_(True), 1), else_=0)).label("confirmed"))
        .where(Flag.resolved_at.is_(None))
        .group_by(Flag.source_id)
        .subquery()
    )


def _problem_ranks() -> Subquery:
    """Return per article its cited sources with an open problem (``problems``), and how many are ``confirmed``.

    Read from the open flags (few) to the references citing them: what ranking every article needs.
    """
    flagged = _flagged()
    return (
        select(
            Reference.article_id,
            func.count(distinct(Reference.source_id)).label("problems"),
            func.count(distinct(case((flagged.c.confirmed == 1, Reference.source_id)))).label("confirmed"),
        )
        .join(flagged, flagged.c.source_id == Reference.source_id)
        .group_by(Reference.article_id)
        .subquery()
    )


def _problem_counts(session: Session, article_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Return, for the given articles, their sources with an open problem and how many are confirmed.

    Read from the articles' references, each probing the flags of its source: what one page needs.
    """
    flags = (Flag.source_id == Reference.source_id, Flag.resolved_at.is_(None))
    problem = case((exists().where(*flags), Reference.source_id))
    confirmed = case((exists().where(*flags, Flag.confirmed.is_(True)), Reference.source_id))
    query = (
        select(Reference.article_id, func.count(distinct(problem)), func.count(distinct(confirmed)))
        .where(Reference.article_id.in_(article_ids))
        .group_by(Reference.article_id)
    )
    return {article_id: (problems, confirmed) for article_id, problems, confirmed in session.execute(query)}


def list_articles(
    session: Session,
    offset: int,
    limit: int,
    *,
    where: ArticleFilter,
    sort: ArticleSort = "newest",
    after: int | None = None,
) -> Page:
    """Return one page of articles with claim, verdict and problem-source counts (four queries in all).

    ``sort="problems"`` puts first the articles citing most sources with a confirmed problem, then most with any
    open problem, then the newest. The counts are computed for the page's articles only. Newest first, ``after``
    (an article id) continues after that article: the keyset cursor of ``Page.next_after``.
    """
    query = select(Article)
    if where.outlet:
        query = query.where(func.lower(Article.publisher) == where.outlet.lower())
    if where.since is not None:
        query = query.where(Article.published_at >= where.since)
    if where.until is not None:
        query = query.where(Article.published_at <= where.until)
    total = session.scalar(query.with_only_columns(func.count(Article.id))) or 0
    if after is not None and sort == "newest":
        query = query.where(Article.id < after)
    order = [Article.id.desc()]
    if sort == "problems":
        ranks = _problem_ranks()
        query = query.outerjoin(ranks, ranks.c.article_id == Article.id)
        order = [func.coalesce(ranks.c.confirmed, 0).desc(), func.coalesce(ranks.c.problems, 0).desc(), *order]
    # The page is cut in a subquery and its claims counted outside it: a deep page skips rows without counting
    # the claims of every article it skips.
    position = func.row_number().over(order_by=order).label("position")
    page = query.add_columns(position).order_by(*order).offset(offset).limit(limit).subquery()
    paged = aliased(Article, page)
    claims = select(func.count(Claim.id)).where(Claim.article_id == page.c.id).scalar_subquery()
    rows = session.execute(select(paged, claims).order_by(page.c.position)).all()
    ids = [article.id for article, _ in rows]
    verdicts = _verdict_counts(session, ids)
    problems = _problem_counts(session, ids) if ids else {}
    items = []
    for article, claim_count in rows:
        open_count, confirmed = problems.get(article.id, (0, 0))
        items.append(
            {
                "id": article.id,
                "url": article.url,
                "title": article.title,
                "published": article.published_at,
                "ingested_at": article.ingested_at,
                "version": article.version,
                "claims": claim_count,
                "outlet": article.publisher,
                "verdicts": verdicts.get(article.id, {}),
                "problem_sources": {"confirmed": confirmed, "unconfirmed": open_count - confirmed},
            }
        )
    return Page(items, total, next_cursor(ids, limit) if sort == "newest" else None)


def _verdict_counts(session: Session, article_ids: list[int]) -> dict[int, dict[str | None, int]]:
    """Return, per article, how many citations have each latest verdict (one ``GROUP BY`` query)."""
    if not article_ids:
        return {}
    latest = latest_verdicts(article_ids)
    query = select(latest.c.article_id, latest.c.verdict, func.count()).group_by(latest.c.article_id, latest.c.verdict)
    counts: dict[int, dict[str | None, int]] = {}
    for article_id, verdict, count in session.execute(query):
        counts.setdefault(article_id, {})[verdict] = count
    return counts


def outlets(session: Session, limit: int = 200) -> list[str]:
    """Return the outlets (publishers) articles come from, alphabetically."""
    query = select(Article.publisher).distinct().where(Article.publisher.is_not(None)).order_by(Article.publisher)
    return list(session.scalars(query.limit(limit)))


def totals(session: Session) -> dict[str, Any]:
    """Return store-wide counts: articles, claims, citations by verdict, sources by status, problems, last check."""
    latest = latest_verdicts()
    verdicts = session.execute(select(latest.c.verdict, func.count()).group_by(latest.c.verdict)).all()
    statuses = session.execute(select(Source.status, func.count()).group_by(Source.status)).all()
    flagged = _flagged()
    problems = session.execute(select(func.count(), func.coalesce(func.sum(flagged.c.confirmed), 0))).one()
    return {
        "articles": session.scalar(select(func.count(Article.id))) or 0,
        "claims": session.scalar(select(func.count(Claim.id))) or 0,
        "verdicts": dict(verdicts),
        "sources": dict(statuses),
        "problem_sources": {"open": problems[0], "confirmed": problems[1]},
        "snapshots": session.scalar(select(func.count(Snapshot.id))) or 0,
        "last_check_at": session.scalar(select(func.max(Check.checked_at))),
    }


def source_history(session: Session, source_id: int, limit: int) -> dict[str, Any]:
    """Return a source with its latest ``limit`` checks and snapshots, citing claims and their verdicts, copies.

    Ten queries whatever the source's history: lists hold their ``total`` beside the ``items`` shown.
    """
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"no source with id {source_id}")
    return {
        "source": _source(source),
        "checks": _latest_rows(session, Check, source_id, Check.checked_at, limit, _check),
        "snapshots": _latest_rows(session, Snapshot, source_id, Snapshot.fetched_at, limit, _snapshot),
        "claims": _citing_claims(session, source_id, limit),
        "references": _references(session, source_id),
        "problems": [_flag(flag) for flag in session.scalars(_open_flags(source_id))],
    }


def _source(source: Source) -> dict[str, Any]:
    return {**source_row(source), "created_at": source.created_at, "editor_note": source.editor_note}


def _latest_rows(session: Session, model: Any, source_id: int, when: Any, limit: int, row: Any) -> dict[str, Any]:
    """Return the ``limit`` latest rows of ``model`` for a source, oldest first, and how many there are in all."""
    mine = model.source_id == source_id
    latest = session.scalars(select(model).where(mine).order_by(when.desc(), model.id.desc()).limit(limit)).all()
    total = session.scalar(select(func.count(model.id)).where(mine)) or 0
    return {"items": [row(item) for item in reversed(latest)], "total": total}


def _check(check: Check) -> dict[str, Any]:
    return {
        "id": check.id,
        "checked_at": check.checked_at,
        "outcome": check.outcome,
        "status": check.status,
        "http_status": check.http_status,
        "snapshot_id": check.snapshot_id,
    }


def _snapshot(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "id": snapshot.id,
        "fetched_at": snapshot.fetched_at,
        "http_status": snapshot.http_status,
        "final_url": snapshot.final_url,
        "content_type": snapshot.content_type,
        "content_hash": snapshot.content_hash,
        "title": snapshot.title,
    }


def _citing_claims(session: Session, source_id: int, limit: int) -> dict[str, Any]:
    """Return the first ``limit`` claims citing the source, each with its verdicts over time (snapshot by snapshot)."""
    citing = (
        select(Claim.id, Claim.article_id, Claim.index, Claim.text, Reference.number, Reference.id)
        .join(Citation, Citation.claim_id == Claim.id)
        .join(Reference, Reference.id == Citation.reference_id)
        .where(Reference.source_id == source_id)
    )
    total = session.scalar(select(func.count()).select_from(citing.subquery())) or 0
    rows = session.execute(citing.order_by(Claim.article_id, Claim.index, Reference.number).limit(limit)).all()
    verifications = session.execute(
        select(Verification.claim_id, Verification.reference_id, Verification.snapshot_id, Verification.verdict,
               Verification.verified_at)  # fmt: skip
        .join(Reference, Reference.id == Verification.reference_id)
        .where(Reference.source_id == source_id, Verification.claim_id.in_([row[0] for row in rows]))
        .order_by(Verification.verified_at, Verification.id)
    ).all()
    history: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for claim_id, reference_id, snapshot_id, verdict, verified_at in verifications:
        history.setdefault((claim_id, reference_id), []).append(
            {"snapshot_id": snapshot_id, "verdict": verdict, "verified_at": verified_at}
        )
    items = [
        {"claim_id": claim_id, "article_id": article_id, "index": index, "text": text, "reference": number,
         "verifications": history.get((claim_id, reference_id), [])}  # fmt: skip
        for claim_id, article_id, index, text, number, reference_id in rows
    ]
    return {"items": items, "total": total}


def _references(session: Session, source_id: int) -> list[dict[str, Any]]:
    """Return the references that cite the source, with the archived copy each citation names."""
    query = select(Reference).where(Reference.source_id == source_id).order_by(Reference.article_id, Reference.number)
    return [
        {
            "article_id": ref.article_id,
            "number": ref.number,
            "outlet": ref.outlet,
            "title": ref.title,
            "url": ref.url,
            "archive_url": ref.archive_url,
            "archive_captured_at": ref.archive_captured_at,
        }
        for ref in session.scalars(query)
    ]


def _open_flags(source_id: int) -> Select[tuple[Flag]]:
    return select(Flag).where(Flag.source_id == source_id, Flag.resolved_at.is_(None)).order_by(Flag.first_seen)


def _flag(flag: Flag) -> dict[str, Any]:
    return {
        "status": flag.status,
        "confirmed": flag.confirmed,
        "first_seen": flag.first_seen,
        "last_seen": flag.last_seen,
        "checks": flag.checks,
        "archive_url": flag.archive_url,
        "evidence": flag.evidence,
    }
