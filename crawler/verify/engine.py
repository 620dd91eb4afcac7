"""The matching engine's public entry points: prepare a source once, then verify claims against it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crawler.ingest.quotes import find_quotes
from crawler.verify.calibration import LEXICAL, SEMANTIC
from crawler.verify.conflicts import (
    ABOUT_SAME,
    claim_words,
    find_conflicts,
    is_negated,
    is_overstated,
    passage_words,
)
from crawler.verify.quotes import check_quote
from crawler.verify.results import CONTRADICTED, UNAVAILABLE, ClaimVerdict, Conflict, Evidence
from crawler.verify.score import (
    Coverage,
    Polarity,
    SupportFeatures,
    candidates,
    prepare_claim,
    rank_evidence,
    support_features,
    support_score,
)
from crawler.verify.semantic import Encoder
from crawler.verify.source import PreparedSource
from crawler.verify.verdict import decide


@dataclass(frozen=True)
class Analysis:
    """The ranked evidence of a claim in a source, the conflicts in the best passage, and the support features.

    ``meaning_coverage`` is the share of the claim the best passage covers by meaning (semantic extra; else 0).
    """

    evidence: list[Evidence]
    conflicts: list[Conflict]
    features: SupportFeatures
    meaning_coverage: float = 0.0

    @property
    def coverage(self) -> float:
        """How much of the claim (0–100) the best passage covers, by its words or by meaning: the verdict's gate."""
        return 100 * max(self.features.best_coverage, self.meaning_coverage)


def prepare_source(text: str) -> PreparedSource:
    """Segment, tokenise and index a source text once, for every claim that cites it."""
    return PreparedSource(text)


def analyse(claim_text: str, source: PreparedSource, encoder: Encoder | None = None) -> Analysis:
    """Return the best evidence passages for a claim, the conflicts in the best one, and the support features.

    With an ``encoder`` (the semantic extra) the lexical candidates are re-ranked with the claim-passage cosine,
    which is also a feature of the support score, and the best passage's coverage by meaning is measured.
    """
    claim = prepare_claim(claim_text, source)
    coverage = Coverage(claim, source)
    found = candidates(claim, source)
    similarities = encoder.passage_similarities(claim_text, source, [n for n, _ in found]) if encoder else None
    ranked = rank_evidence(source, coverage, found, similarities)
    evidence = []
    for number, share in ranked:
        passage = source.passages[number]
        evidence.append(
            Evidence(source.text[passage.start : passage.end], passage.start, passage.end, round(100 * share, 1))
        )
    if not ranked:
        return Analysis(evidence, [], support_features(claim, source, ranked))
    words, best = claim_words(claim_text), passage_words(source, ranked[0][0])
    conflicts = []
    if ranked[0][1] >= ABOUT_SAME:
        conflicts = find_conflicts(claim_text, words, source.text, best, source.values)
    polarity = Polarity(len(conflicts), is_negated(words), is_negated(best), is_overstated(words, best))
    semantic = similarities[[n for n, _ in found].index(ranked[0][0])] if similarities else 0.0
    meaning = encoder.coverage(claim_text, source, ranked[0][0]) if encoder else 0.0
    return Analysis(evidence, conflicts, support_features(claim, source, ranked, polarity, semantic), meaning)


def verify_claim(
    claim_text: str,
    source: PreparedSource,
    quotes: Sequence[str] | None = None,
    encoder: Encoder | None = None,
    contradicted: bool = False,
) -> ClaimVerdict:
    """Return the verdict on a claim against a prepared source, with evidence, quote checks and conflicts.

    ``contradicted=True`` lets the verdict be ``contradicted`` (with its conflicts); callers whose outputs do not
    know that verdict yet (``verify``, drift, archive lookups) leave it off and get the other verdicts only.
    """
    if not source.sentences:
        return unavailable_verdict("the source has no text")
    if quotes is None:
        quotes = [quote.text for quote in find_quotes(claim_text)]
    checks = [check_quote(quote, source) for quote in quotes]
    analysis = analyse(claim_text, source, encoder)
    calibration = SEMANTIC if encoder else LEXICAL
    score = support_score(analysis.features, calibration.weights, calibration.intercept)
    coverage = analysis.coverage
    verdict = decide(score, coverage, checks, analysis.conflicts if contradicted else [], calibration.thresholds)
    conflicts = analysis.conflicts if verdict == CONTRADICTED else []
    return ClaimVerdict(verdict, score, analysis.evidence, checks, conflicts=conflicts)


def unavailable_verdict(reason: str) -> ClaimVerdict:
    """Return the verdict for a claim whose source has no usable text (dead, paywalled, not fetched)."""
    return ClaimVerdict(UNAVAILABLE, 0.0, [], [], reason)
