"""An article's report: its references, claims and the latest check of each claim against each citation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crawler.enums import HEALTHY, HealthStatus, Verdict
from crawler.jobs.flags import ARCHIVE_KEY
from crawler.jobs.references import citation_details
from crawler.report.attribution import attribute, best_verdict
from crawler.report.summary import ONLY_CHOICES, keep_claim, summarize
from store.crawl import latest_snapshots
from store.models import Citation, Claim, Flag, Reference, Verification
from store.queries import get_article


def build_report(session: Session, article_id: int, only: str = "all") -> dict[str, Any]:
    """Return the report document of one article; ``only`` keeps unsupported, unavailable or contradicted claims."""
    if only not in ONLY_CHOICES:
        raise ValueError(f"only must be one of {', '.join(ONLY_CHOICES)}, not {only!r}")
    article = get_article(session, article_id)
    references = _references(session, article_id)
    verifications = _latest_verifications(session, article_id)
    claims = [_claim_entry(claim, references, verifications) for claim in _claims(session, article_id)]
    return {
        "article": {
            "id": article.id,
            "url": article.url,
            "title": article.title,
            "published": article.published_at,
            "origin": article.origin,
            "version": article.version,
        },
        "references": list(references.values()),
        "claims": [claim for claim in claims if keep_claim(claim, only)],
        "summary": summarize(claims, list(references.values()), only),
    }


def _claims(session: Session, article_id: int) -> list[Claim]:
    query = select(Claim).where(Claim.article_id == article_id).options(selectinload(Claim.citations))
    return list(session.scalars(query.order_by(Claim.index)))


def _references(session: Session, article_id: int) -> dict[int, dict[str, Any]]:
    """Return reference entries by number, with the source's status, latest snapshot and archived copy.

    ``archive_url`` is the copy ``broken --find-archives`` found usable for a broken source (it tries the
    citation's own copy first), else the copy the citation names; ``archive_captured_at`` is when it was taken.
    """
    query = select(Reference).where(Reference.article_id == article_id).options(selectinload(Reference.source))
    rows = list(session.scalars(query.order_by(Reference.number)))
    source_ids = [ref.source_id for ref in rows if ref.source_id is not None]
    snapshots = latest_snapshots(session, source_ids)
    flags = _open_flags(session, source_ids)
    entries = {}
    for ref in rows:
        snapshot = snapshots.get(ref.source_id) if ref.source_id is not None else None
        open_flags = flags.get(ref.source_id, []) if ref.source_id is not None else []
        found = next((flag for flag in reversed(open_flags) if flag.archive_url), None)
        entries[ref.number] = {
            "number": ref.number,
            "outlet": ref.outlet,
            "title": ref.title,
            "url": ref.url,
            "status": ref.source.status if ref.source is not None else HealthStatus.UNRESOLVED,
            "http_status": snapshot.http_status if snapshot else None,
            "final_url": snapshot.final_url if snapshot else None,
            "fetched_at": snapshot.fetched_at if snapshot else None,
            "source_id": ref.source_id,
            "flag": open_flags[-1].status if open_flags else None,
            "id": ref.id,
            **citation_details(ref),
            **(found_copy(found.archive_url, found.evidence) if found is not None else {}),
        }
    return entries


def found_copy(archive_url: str | None, evidence: dict[str, Any] | None) -> dict[str, Any]:
    """Return the archived copy an archive lookup found for a flagged source, with its capture time."""
    taken = ((evidence or {}).get(ARCHIVE_KEY) or {}).get("timestamp")
    return {"archive_url": archive_url, "archive_captured_at": datetime.fromisoformat(taken) if taken else None}


def _open_flags(session: Session, source_ids: list[int]) -> dict[int, list[Flag]]:
    """Return each source's open problem flags (dead, drifted, …), oldest first; some carry an archived copy."""
    query = select(Flag).where(Flag.source_id.in_(source_ids), Flag.resolved_at.is_(None))
    flags: dict[int, list[Flag]] = {}
    for flag in session.scalars(query.order_by(Flag.last_seen, Flag.id)):
        flags.setdefault(flag.source_id, []).append(flag)
    return flags


def _latest_verifications(session: Session, article_id: int) -> dict[tuple[int, int], Verification]:
    query = (
        select(Verification)
        .join(Claim, Claim.id == Verification.claim_id)
        .where(Claim.article_id == article_id)
        .order_by(Verification.verified_at, Verification.id)
    )
    return {(v.claim_id, v.reference_id): v for v in session.scalars(query)}


def _claim_entry(
    claim: Claim, references: dict[int, dict[str, Any]], verifications: dict[tuple[int, int], Verification]
) -> dict[str, Any]:
    checks = [_check(claim, citation, references, verifications) for citation in claim.citations]
    attribution = attribute({check["reference"]: check["verdict"] for check in checks})
    for check in checks:
        check["role"] = attribution.roles[check["reference"]]
    found_in = [{q["text"] for q in check["quotes"] if q.get("found")} for check in checks]
    return {
        "id": claim.id,
        "index": claim.index,
        "text": claim.text,
        "citations": [citation.number for citation in claim.citations],
        "quotes": [
            {**quote, "found_in": [c["reference"] for c, found in zip(checks, found_in) if quote["text"] in found]}
            for quote in claim.quotes
        ],
        "checks": checks,
        "verdict": best_verdict([check["verdict"] for check in checks]),
        "citation_recall": attribution.recall,
        "citation_precision": attribution.precision,
    }


def _check(
    claim: Claim,
    citation: Citation,
    references: dict[int, dict[str, Any]],
    verifications: dict[tuple[int, int], Verification],
) -> dict[str, Any]:
    reference = references.get(citation.number) if citation.reference_id is not None else None
    verification = verifications.get((claim.id, reference["id"])) if reference else None
    check: dict[str, Any] = {
        "reference": citation.number,
        "verdict": verification.verdict if verification else Verdict.UNAVAILABLE,
        "score": verification.score if verification else None,
        "evidence": verification.evidence if verification else [],
        "snapshot_id": verification.snapshot_id if verification else None,
        "verified_at": verification.verified_at if verification else None,
        "quotes": verification.quotes if verification else [],
        "conflicts": verification.conflicts if verification else [],
        "outlet": reference["outlet"] if reference else None,
        "source_status": reference["status"] if reference else None,
    }
    check["reason"] = _unavailable_reason(reference, verification) if check["verdict"] == Verdict.UNAVAILABLE else None
    return check


def _unavailable_reason(reference: dict[str, Any] | None, verification: Verification | None) -> str:
    """Say why a check has no usable source text: dangling number, no URL, a source problem, not yet done."""
    if reference is None:
        return "dangling"
    status = reference["status"]
    if status not in HEALTHY and status != HealthStatus.PENDING:
        return status
    if verification is None and reference["fetched_at"] is None:
        return "not_fetched"
    return "not_verified" if verification is None else "no_text"
