"""Claims as the web lists them: each with its best verdict over its citations, filtered by verdict or text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.enums import Verdict
from crawler.report.attribution import best_verdict
from store.browse import Page
from store.models import Citation, Claim, Verification


def list_claims(
    session: Session, offset: int, limit: int, *, verdict: str | None, text: str | None, article_id: int | None
) -> Page:
    """Return claims (in article order) whose best verdict is ``verdict`` and whose text contains ``text``."""
    query = select(Claim).order_by(Claim.article_id, Claim.index)
    if article_id is not None:
        query = query.where(Claim.article_id == article_id)
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(Claim.text.ilike(pattern, escape="\\"))
    claims = list(session.scalars(query))
    checks = _latest_checks(session, [claim.id for claim in claims])
    rows = []
    for claim in claims:
        claim_checks = checks.get(claim.id, [])
        best = best_verdict([check["verdict"] for check in claim_checks])
        if verdict is None or best == verdict:
            rows.append(
                {
                    "id": claim.id,
                    "article_id": claim.article_id,
                    "index": claim.index,
                    "text": claim.text,
                    "citations": [check["reference"] for check in claim_checks],
                    "verdict": best,
                    "checks": claim_checks,
                }
            )
    return Page(rows[offset : offset + limit], len(rows))


def _latest_checks(session: Session, claim_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Return each claim's citations with the verdict and score of their latest verification."""
    latest: dict[tuple[int, int], Verification] = {}
    citations: list[Citation] = []
    for start in range(0, len(claim_ids), 500):  # keep IN lists within every backend's parameter limit
        chunk = claim_ids[start : start + 500]
        query = select(Verification).where(Verification.claim_id.in_(chunk))
        for verification in session.scalars(query.order_by(Verification.verified_at, Verification.id)):
            latest[(verification.claim_id, verification.reference_id)] = verification
        citations += session.scalars(select(Citation).where(Citation.claim_id.in_(chunk)).order_by(Citation.number))
    checks: dict[int, list[dict[str, Any]]] = {}
    for citation in citations:
        found = latest.get((citation.claim_id, citation.reference_id)) if citation.reference_id else None
        checks.setdefault(citation.claim_id, []).append(
            {
                "reference": citation.number,
                "verdict": found.verdict if found else Verdict.UNAVAILABLE,
                "score": found.score if found else None,
                "conflicts": found.conflicts if found else [],
            }
        )
    return checks
