"""Rank the passages of a source for a claim and turn the best evidence into a support score from 0 to 100."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from crawler.extract.normalize import normalize_text
from crawler.verify.index import STOPWORDS, stem, terms, tokens
from crawler.verify.source import PreparedSource

CANDIDATES = 20  # BM25 candidates re-ranked by coverage; on WiCE dev 30 adds nothing, 10 loses 1 point of recall@3
EVIDENCE_PASSAGES = 3
BM25_TIE_WEIGHT = 0.1  # lets BM25 order passages with equal coverage
SEMANTIC_RANK_WEIGHT = 0.5  # with the semantic extra: weight of the claim-passage cosine in the ranking
# Sources shorter than this count as this long: below it, length says no more about an excerpt.
EXCERPT_SENTENCES = 5

_CAPITALISED = re.compile(r"[A-Z][\w'’\-]*")
_SENTENCE_OPENERS = frozenset(".!?\"“‘'(")


@dataclass(frozen=True)
class Polarity:
    """How the best passage stands to the claim: conflicts found, and whether each side holds a negation."""

    conflicts: int = 0
    claim_negated: bool = False
    passage_negated: bool = False
    overstated: bool = False


@dataclass(frozen=True)
class SupportFeatures:
    """Signals from the evidence: coverage, what the claim says that the evidence does not, polarity, source size.

    ``source_sentences`` is the length of the source; ``semantic`` is the cosine between the claim and the best
    passage (0 without the semantic extra).
    """

    best_coverage: float
    missing_numbers: int
    missing_names: int
    conflicts: int = 0
    claim_negated_only: bool = False
    passage_negated_only: bool = False
    overstated: bool = False
    source_sentences: int = 1
    semantic: float = 0.0

    def vector(self) -> tuple[float, ...]:
        """Return the features in the order of a calibration's ``weights``."""
        size = math.log(max(self.source_sentences, EXCERPT_SENTENCES))
        return (
            self.best_coverage,
            float(min(self.missing_numbers, 3)),
            float(min(self.missing_names, 3)),
            float(min(self.conflicts, 2)),
            float(self.claim_negated_only),
            float(self.passage_negated_only),
            float(self.overstated),
            size,
            self.semantic,
        )


@dataclass(frozen=True)
class Claim:
    """A claim in matching form: normalised text, content terms (stems), and the IDF weight of each term."""

    normalized: str
    terms: list[str]
    term_weights: dict[str, float]
    names: list[str]
    numbers: list[str]
    total_weight: float


def prepare_claim(claim_text: str, source: PreparedSource) -> Claim:
    """Return the matching form of a claim for one source."""
    normalized = normalize_text(claim_text)
    words = tokens(normalized)
    claim_terms = [stem(word) for word in words if word not in STOPWORDS]
    idf = source.index.idf
    term_weights: dict[str, float] = {}
    for term in claim_terms:
        term_weights[term] = term_weights.get(term, 0.0) + idf(term)
    numbers = [word for word in words if word[0].isdigit()]
    total = sum(term_weights.values())
    return Claim(normalized, claim_terms, term_weights, names_in(claim_text), numbers, total)


def names_in(claim_text: str) -> list[str]:
    """Return the stemmed terms of capitalised words that do not open a sentence (names, titles, places)."""
    names = []
    for match in _CAPITALISED.finditer(claim_text):
        before = claim_text[max(0, match.start() - 3) : match.start()].rstrip()
        if before and before[-1] not in _SENTENCE_OPENERS:
            names.extend(_name_terms(match.group()))
    return names


@lru_cache(maxsize=1 << 16)
def _name_terms(word: str) -> tuple[str, ...]:
    return tuple(term for term in terms(word.casefold()) if term not in STOPWORDS)


class Coverage:
    """Coverage of one claim by the passages of a source: the IDF-weighted share of its content terms found."""

    def __init__(self, claim: Claim, source: PreparedSource) -> None:
        self.terms, self.terms_of = claim.term_weights.keys(), source.passage_terms
        self.weight_of, self.total_weight = claim.term_weights.__getitem__, claim.total_weight

    def of_each(self, numbers: Iterable[int]) -> list[float]:
        """Return the coverage of the claim by each of these passages on its own."""
        return [self._share(self.terms & self.terms_of(number)) for number in numbers]

    def _share(self, found: frozenset[str]) -> float:
        if not self.total_weight:
            return 0.0
        # fsum is exact, so the share does not depend on the set's (hash-seeded) iteration order.
        return math.fsum(map(self.weight_of, found)) / self.total_weight


def candidates(claim: Claim, source: PreparedSource) -> list[tuple[int, float]]:
    """Return the BM25 candidates as ``(passage number, score relative to the best)``, best first."""
    scores = source.index.scores(claim.terms)
    numbers = source.index.top(claim.terms, CANDIDATES, scores)
    return list(zip(numbers, (scores[numbers] / scores[numbers[0]]).tolist())) if numbers else []


def rank_evidence(
    source: PreparedSource,
    coverage: Coverage,
    found: list[tuple[int, float]],
    similarities: list[float] | None = None,
) -> list[tuple[int, float]]:
    """Return up to three non-overlapping candidates as ``(number, coverage)``, best first.

    Candidates are ordered by coverage, BM25 breaking ties, plus the semantic similarity when it is given.
    """
    numbers = [number for number, _ in found]
    shares = coverage.of_each(numbers)
    similarity = similarities or [0.0] * len(numbers)
    keys = [
        share + BM25_TIE_WEIGHT * bm25 + SEMANTIC_RANK_WEIGHT * cosine
        for share, (_, bm25), cosine in zip(shares, found, similarity, strict=True)
    ]
    ranked = sorted(zip(numbers, shares, keys), key=lambda item: -item[2])
    chosen: list[tuple[int, float]] = []
    taken: set[int] = set()  # sentences of the chosen passages
    for number, share, _ in ranked:
        passage = source.passages[number]
        sentences = range(passage.first, passage.last + 1)
        if taken.isdisjoint(sentences):
            chosen.append((number, share))
            taken.update(sentences)
        if len(chosen) == EVIDENCE_PASSAGES:
            break
    return chosen


def support_features(
    claim: Claim,
    source: PreparedSource,
    evidence: list[tuple[int, float]],
    polarity: Polarity = Polarity(),
    semantic: float = 0.0,
) -> SupportFeatures:
    """Return the features of the claim against its ranked evidence."""
    size = len(source.sentences)
    if not evidence:
        return SupportFeatures(0.0, len(claim.numbers), len(claim.names), source_sentences=size)
    return SupportFeatures(
        best_coverage=evidence[0][1],
        missing_numbers=sum(1 for number in claim.numbers if number not in source.numbers),
        missing_names=sum(1 for name in claim.names if name not in source.vocabulary),
        conflicts=polarity.conflicts,
        claim_negated_only=polarity.claim_negated and not polarity.passage_negated,
        passage_negated_only=polarity.passage_negated and not polarity.claim_negated,
        overstated=polarity.overstated,
        source_sentences=size,
        semantic=semantic,
    )


def support_score(features: SupportFeatures, weights: tuple[float, ...], intercept: float) -> float:
    """Return the support score 0–100: the logistic model's estimate that the source supports the claim."""
    logit = intercept + sum(w * x for w, x in zip(weights, features.vector(), strict=True))
    return round(100 / (1 + math.exp(-logit)), 1)
