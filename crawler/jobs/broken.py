"""The editors' list of problem sources: open flags with the articles and claims that cite each source."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Exists, Row, Select, exists, select
from sqlalchemy.orm import Session

from crawler.enums import SUPPORTING
from store.browse import Page
from store.models import Citation, Claim, Flag, Reference, Source, Verification


def broken_sources(
    session: Session, *, article_id: int | None = None, status: str | None = None, confirmed: bool | None = None
) -> list[dict[str, Any]]:
    """Return one row per open flag, the sources whose claims lose most support first.

    Two queries whatever the number of flags and claims: the open flags with their sources (as columns, no ORM
    objects), then every claim citing those sources with whether it was ever supported. ``confirmed`` keeps
    only confirmed (True) or only unconfirmed (False) problems.
    """
    flags = _open_flags(article_id, status, confirmed)
    found = session.execute(flags.order_by(Flag.id)).all()
    citing = _citing_claims(session, flags.with_only_columns(Flag.source_id)) if found else {}
    losing = {source_id: [(c["claim_id"], c["supported"]) for c in claims] for source_id, claims in citing.items()}
    ranked = sorted(found, key=lambda flag: _order(flag, losing.get(flag.source_id, [])))
    return [_row(flag, citing.get(flag.source_id, [])) for flag in ranked]


def broken_sources_page(
    session: Session,
    offset: int,
    limit: int,
    *,
    article_id: int | None = None,
    status: str | None = None,
    confirmed: bool | None = None,
) -> Page:
    """Return one page of ``broken_sources``'s rows (the same order) and how many there are over all pages.

    Three queries whatever the number of flags and claims: the open flags, the claims citing every flagged
    source (ids and whether each lost its support: the order needs them, their text does not), then the
    citing claims of the page's sources only.
    """
    flags = _open_flags(article_id, status, confirmed)
    found = session.execute(flags.order_by(Flag.id)).all()
    losing = _losing_support(session, flags.with_only_columns(Flag.source_id)) if found else {}
    ranked = sorted(found, key=lambda flag: _order(flag, losing.get(flag.source_id, [])))
    shown = ranked[offset : offset + limit]
    page_sources = select(Source.id).where(Source.id.in_([flag.source_id for flag in shown]))
    citing = _citing_claims(session, page_sources) if shown else {}
    return Page([_row(flag, citing.get(flag.source_id, [])) for flag in shown], len(found))


def _open_flags(article_id: int | None, status: str | None, confirmed: bool | None) -> Select[Any]:
    """Return the query of the open flags' columns with their sources' (``_row``'s), filtered (unordered)."""
    columns = [column for column in Flag.__table__.columns if column.name not in ("resolved_at", "resolution")]
    sources = (Source.url, Source.status.label("source_status"), Source.replacement_url, Source.editor_note)
    flags = select(*columns, *sources).join(Source, Source.id == Flag.source_id).where(Flag.resolved_at.is_(None))
    if status is not None:
        flags = flags.where(Flag.status == status)
    if confirmed is not None:
        flags = flags.where(Flag.confirmed.is_(confirmed))
    if article_id is not None:
        flags = flags.where(Source.id.in_(select(Reference.source_id).where(Reference.article_id == article_id)))
    return flags


def _order(flag: Row[Any], citing: list[tuple[int, bool]]) -> tuple[int, bool, datetime]:
    """Return a flag's place in the list (``broken_sources``'s order): most claims losing support first."""
    drifted = _drifted_claims(flag)
    lost = sum(claim_id in drifted if drifted else supported for claim_id, supported in citing)
    return -lost, not flag.confirmed, flag.first_seen


def _drifted_claims(flag: Row[Any]) -> set[int]:
    """Return the ids of the claims a drift flag names (empty for other flags)."""
    return {row["claim_id"] for row in (flag.evidence or {}).get("claims", [])}


def _row(flag: Row[Any], citing: list[dict[str, Any]]) -> dict[str, Any]:
    """Build the JSON row of one flag (field names are a contract: see issue 5)."""
    articles = _by_article(citing, _drifted_claims(flag))
    return {
        "url": flag.url,
        "status": flag.status,
        "confirmed": flag.confirmed,
        "first_seen": flag.first_seen,
        "last_seen": flag.last_seen,
        "checks": flag.checks,
        "evidence": flag.evidence,
        "archive_url": flag.archive_url,
        "articles": articles,
        "claims_losing_support": sum(claim["loses_support"] for article in articles for claim in article["claims"]),
        "source_status": flag.source_status,
        "confirmed_at": flag.confirmed_at,
        "replacement_url": flag.replacement_url,
        "editor_note": flag.editor_note,
        "source_id": flag.source_id,
    }


def _losing_support(session: Session, source_ids: Select[Any]) -> dict[int, list[tuple[int, bool]]]:
    """Return, by source id, each (claim id, whether that source ever supported it) citing one of ``source_ids``."""
    query = (
        select(Reference.source_id, Citation.claim_id, _ever_supported())
        .join(Citation, Citation.reference_id == Reference.id)
        .where(Reference.source_id.in_(source_ids))
    )
    citing: dict[int, list[tuple[int, bool]]] = {}
    for source_id, claim_id, was_supported in session.execute(query):
        citing.setdefault(source_id, []).append((claim_id, bool(was_supported)))
    return citing


def _ever_supported() -> Exists:
    """Return whether a supporting verification of the citing claim against the reference exists (SQL)."""
    return exists().where(
        Verification.claim_id == Citation.claim_id,
        Verification.reference_id == Reference.id,
        Verification.verdict.in_(SUPPORTING),
    )


def _citing_claims(session: Session, source_ids: Select[Any]) -> dict[int, list[dict[str, Any]]]:
    """Return, by source id, each claim citing one of ``source_ids`` and whether that source ever supported it."""
    query = (
        select(
            Reference.source_id, Claim.id, Claim.article_id, Claim.index, Claim.text, Reference.number,
            _ever_supported(),
        )
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
