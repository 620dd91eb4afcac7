"""The matching engine's public entry points: prepare a source once, then verify claims against it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crawler.ingest.quotes import find_quotes
from crawler.verify.quotes import check_quote
from crawler.verify.results import ClaimVerdict, Evidence
from crawler.verify.score import (
    Coverage,
    SupportFeatures,
    prepare_claim,
    rank_evidence,
    support_features,
    support_score,
)
from crawler.verify.source import PreparedSource
from crawler.verify.verdict import decide


@dataclass(frozen=True)
class Analysis:
    """The ranked evidence of a claim in a source and the features its support score comes from."""

    evidence: list[Evidence]
    features: SupportFeatures


def prepare_source(text: str) -> PreparedSource:
    """Normalise, segment and index a source text once, for every claim that cites it."""
    return PreparedSource(text)


def analyse(claim_text: str, source: PreparedSource) -> Analysis:
    """Return the best evidence passages for a claim and its support features."""
    claim = prepare_claim(claim_text, source)
    coverage = Coverage(claim, source)
    ranked = rank_evidence(claim, source, coverage)
    evidence = []
    for number, share in ranked:
        passage = source.passages[number]
        evidence.append(
            Evidence(source.text[passage.start : passage.end], passage.start, passage.end, round(100 * share, 1))
        )
    return Analysis(evidence, support_features(claim, source, ranked, coverage))


def verify_claim(claim_text: str, source: PreparedSource, quotes: Sequence[str] | None = None) -> ClaimVerdict:
    """Return the verdict on a claim against a prepared source, with evidence and quote checks."""
    if not source.sentences:
        return unavailable_verdict("the source has no text")
    if quotes is None:
        quotes = [quote.text for quote in find_quotes(claim_text)]
    checks = [check_quote(quote, source) for quote in quotes]
    analysis = analyse(claim_text, source)
    score = support_score(analysis.features)
    coverage = 100 * analysis.features.best_coverage
    return ClaimVerdict(decide(score, coverage, checks), score, analysis.evidence, checks)


def unavailable_verdict(reason: str) -> ClaimVerdict:
    """Return the verdict for a claim whose source has no usable text (dead, paywalled, not fetched)."""
    return ClaimVerdict("unavailable", 0.0, [], [], reason)
