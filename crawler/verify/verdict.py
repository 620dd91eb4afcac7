"""Turn a support score, the best passage's coverage, its conflicts and the quote checks into a verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crawler.verify.quotes import is_decisive
from crawler.verify.results import CONTRADICTED, NOT_FOUND, PARTIAL, SUPPORTED, Conflict, QuoteCheck


@dataclass(frozen=True)
class Thresholds:
    """Score for ``supported``; best-passage coverage (0–100) for ``partial`` and for a conflict to count."""

    supported: float
    partial: float
    contradicted: float


def decide(
    score: float, coverage: float, quotes: Sequence[QuoteCheck], conflicts: Sequence[Conflict], thresholds: Thresholds
) -> str:
    """Return ``contradicted``, ``supported``, ``partial`` or ``not_found``.

    A conflict in the best passage makes the claim ``contradicted`` when that passage is about the same thing:
    it covers at least ``thresholds.contradicted`` of the claim (IDF-weighted share of its content words).
    Otherwise the support score decides ``supported``, when the best passage covers the claim at least as much as
    ``partial`` needs (no score lifts a claim the source does not speak to); coverage separates ``partial`` from
    ``not_found``.
    A decisive quote (three or more words) missing from the source caps the verdict at ``partial``; decisive
    quotes all found lift ``not_found`` to ``partial``. Scare quotes never change the verdict.
    """
    if conflicts and coverage >= thresholds.contradicted:
        return CONTRADICTED
    if score >= thresholds.supported and coverage >= thresholds.partial:
        verdict = SUPPORTED
    elif coverage >= thresholds.partial:
        verdict = PARTIAL
    else:
        verdict = NOT_FOUND
    decisive = [check for check in quotes if is_decisive(check.text)]
    if verdict == SUPPORTED and any(not check.found for check in decisive):
        return PARTIAL
    if verdict == NOT_FOUND and decisive and all(check.found for check in decisive):
        return PARTIAL
    return verdict
