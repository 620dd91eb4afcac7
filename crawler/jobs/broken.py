"""The editors' list of problem sources: open flags with the articles and claims that cite each source."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.enums import SUPPORTING
from store.models import Citation, Claim, Flag, Reference, Source, Verification


def broken_sources(
    session: Session, *, article_id: int | None = None, status: str | None = None, confirmed_only: bool = False
) -> list[dict[str, Any]]:
    """Return one row per open flag, the sources whose claims lose most support first."""
    query = select(Flag, Source).join(Source, Source.id == Flag.source_id).where(Flag.resolved_at.is_(None))
    if status is not None:
        query = query.where(Flag.status == status)
    if confirmed_only:
        query = query.where(Flag.confirmed.is_(True))
    if article_id is not None:
        query = query.where(Source.id.in_(select(Reference.source_id).where(Reference.article_id == article_id)))
    rows = [_row(session, flag, source) for flag, source in session.execute(query.order_by(Flag.id)).all()]
    return sorted(rows, key=lambda row: (-row["claims_losing_support"], not row["confirmed"], row["first_seen"]))


def _row(session: Session, flag: Flag, source: Source) -> dict[str, Any]:
    """Build the JSON row of one flag (field names are a contract: see issue 5)."""
    articles = _citing_claims(session, source.id, flag)
    return {
        "url": source.url,
        "status": flag.status,
        "confirmed": flag.confirmed,
        "first_seen": flag.first_seen,
        "last_seen": flag.last_seen,
        "checks": flag.checks,
        "evidence": flag.evidence,
        "archive_url": flag.archive_url,
        "articles": articles,
        "claims_losing_support": sum(claim["loses_support"] for article in articles for claim in article["claims"]),
        "source_status": source.status,
        "confirmed_at": flag.confirmed_at,
        "replacement_url": source.replacement_url,
        "editor_note": source.editor_note,
        "source_id": source.id,
    }


def _citing_claims(session: Session, source_id: int, flag: Flag) -> list[dict[str, Any]]:
    """Return ``[{"article_id", "claims": [...]}]``: each claim citing the source and whether it loses support."""
    drifted = {row["claim_id"] for row in (flag.evidence or {}).get("claims", [])}
    query = (
        select(Claim, Reference)
        .join(Citation, Citation.claim_id == Claim.id)
        .join(Reference, Reference.id == Citation.reference_id)
        .where(Reference.source_id == source_id)
        .order_by(Claim.article_id, Claim.index, Reference.number)
    )
    by_article: dict[int, list[dict[str, Any]]] = {}
    for claim, reference in session.execute(query).all():
        supported = _was_supported(session, claim.id, reference.id)
        by_article.setdefault(claim.article_id, []).append(
            {
                "claim_id": claim.id,
                "index": claim.index,
                "text": claim.text,
                "reference": reference.number,
                "loses_support": claim.id in drifted if drifted else supported,
            }
        )
    return [{"article_id": article_id, "claims": claims} for article_id, claims in by_article.items()]


def _was_supported(session: Session, claim_id: int, reference_id: int) -> bool:
    """Return whether any snapshot of the reference's source ever supported the claim (support now at risk)."""
    return (
        session.scalar(
            select(Verification.id)
            .where(
                Verification.claim_id == claim_id,
                Verification.reference_id == reference_id,
                Verification.verdict.in_(SUPPORTING),
            )
            .limit(1)
        )
        is not None
    )
