"""The report's summary: verdict counts and ALCE averages over the whole article, and the ``--only`` filter."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal, get_args

from crawler.enums import Verdict
from crawler.report.attribution import CARRIES, RANKED

Only = Literal["all", "unsupported", "unavailable", "contradicted"]
ONLY_CHOICES: tuple[str, ...] = get_args(Only)


def keep_claim(claim: dict[str, Any], only: str) -> bool:
    """Return whether a report claim is shown under ``--only``: unsupported, unavailable, contradicted or all.

    ``unavailable`` and ``contradicted`` keep a claim when any of its citations has that verdict.
    """
    if only == "unsupported":
        return claim["verdict"] != Verdict.SUPPORTED
    if only in (Verdict.UNAVAILABLE, Verdict.CONTRADICTED):
        return any(check["verdict"] == only for check in claim["checks"])
    return True


def needs_attention(claim: dict[str, Any]) -> bool:
    """Return whether a report claim needs an editor's attention: unsupported, contradicted or unavailable."""
    return any(keep_claim(claim, only) for only in ("unsupported", Verdict.CONTRADICTED, Verdict.UNAVAILABLE))


def summarize(claims: list[dict[str, Any]], references: list[dict[str, Any]], only: str) -> dict[str, Any]:
    """Count verdicts over the whole article (whatever ``only`` shows) and average the ALCE figures."""
    checks = [check for claim in claims for check in claim["checks"]]
    relevant = sum(check["role"] == CARRIES for check in checks)
    return {
        "claims": len(claims),
        "checks": len(checks),
        "references": len(references),
        "verdicts": {verdict.value: sum(c["verdict"] == verdict for c in checks) for verdict in RANKED},
        "claim_verdicts": {verdict.value: sum(c["verdict"] == verdict for c in claims) for verdict in RANKED},
        "reference_statuses": dict(Counter(ref["status"] for ref in references)),
        "citation_recall": round(sum(c["citation_recall"] for c in claims) / len(claims), 4) if claims else None,
        "citation_precision": round(relevant / len(checks), 4) if checks else None,
        "only": only,
        "shown_claims": sum(keep_claim(claim, only) for claim in claims),
    }
