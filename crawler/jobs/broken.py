"""The editors' list of problem sources: open flags with the articles and claims that cite each source."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from crawler.enums import SUPPORTING
from store.models import Citation, Claim, Flag, Reference, Source, Verification


def broken_sources(
    session: Session, *, article_id: int | None = None, status: str | None = None, confirmed: bool | None = None
) -> list[dict[str, Any]]:
    """Return one row per open flag, the sources whose claims lose most support first.

    Two queries whatever the number of flags and claims: the open flags with their sources, then every claim
    citing those sources with whether it was ever supported. ``confirmed`` keeps only confirmed (True) or only
    unconfirmed (False) problems.
    """
    flags = select(Flag, Source).join(Source, Source.id == Flag.source_id).where(Flag.resolved_at.is_(None))
    if status is not None:
        flags = flags.where(Flag.status == status)
    if confirmed is not None:
        flags = flags.where(Flag.confirmed.is_(confirmed))
    if article_id is not None:
        flags = flags.where(Source.id.in_(select(Reference.source_id).where(Reference.article_id == article_id)))
    found = session.execute(flags.order_by(Flag.id)).all()
    citing = _citing_claims(session, flags.with_only_columns(Flag.source_id)) if found else {}
    rows = [_row(flag, source, citing.get(source.id, [])) for flag, source in found]
    return sorted(rows, key=lambda row: (-row["claims_losing_support"], not row["confirmed"], row["first_seen"]))


def _row(flag: Flag, source: Source, citing: list[dict[str, Any]]) -> dict[str, Any]:
    """Build the JSON row of one flag (field names are a contract: see issue 5)."""
    articles = _by_article(citing, {row["claim_id"] for row in (flag.evidence or {}).get("claims", [])})
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


def _citing_claims(session: Session, source_ids: Select[Any]) -> dict[int, list[dict[str, Any]]]:
    """Return, by source id, each claim citing one of ``source_ids`` and whether that source ever supported it."""
    supported = exists().where(
        Verification.claim_id == Claim.id,
        Verification.reference_id == Reference.id,
        Verification.verdict.in_(SUPPORTING),
    )
    query = (
        select(Reference.source_id, Claim.id, Claim.article_id, Claim.index, Claim.text, Reference.number, supported)
        .join(Citation, Citation.claim_id == Claim.id)
        .join(Reference, Reference.id == Citation.reference_id)
        .where(Reference.source_id.in_(source_ids))
        .order_by(Claim.article_id, Claim.index, Reference.number)
    )
    citing: dict[int, list[dict[str, Any]]] = {}
    for source_id, claim_id, article_id, index, text, number, was_supported in session.execute(query):
        citing.setdefault(source_id, []).append(
            {"claim_id": claim_id, "article_id": article_id, "index": index, "text": text, "reference": number,
             "supported": bool(was_supported)}
        )  # fmt: skip
    return citing


def _by_article(citing: list[dict[str, Any]], drifted: set[int]) -> list[dict[str, Any]]:
    """Return ``[{"article_id", "claims": [...]}]``: each claim citing the source and whether it loses support.

    A claim loses support when the source once supported it, or, for a drift flag, when the flag names it.
    """
    by_article: dict[int, list[dict[str, Any]]] = {}
    for claim in citing:
        by_article.setdefault(claim["article_id"], []).append(
            {
                "claim_id": claim["claim_id"],
                "index": claim["index"],
                "text": claim["text"],
                "reference": claim["reference"],
                "loses_support": claim["claim_id"] in drifted if drifted else claim["supported"],
            }
        )
    return [{"article_id": article_id, "claims": claims} for article_id, claims in by_article.items()]
