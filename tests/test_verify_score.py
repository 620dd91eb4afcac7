"""Support features, the support score, and the verdict rules with their calibrated thresholds."""

from __future__ import annotations

import pytest

from crawler.verify import Conflict, QuoteCheck, TextSpan, prepare_source
from crawler.verify.calibration import LEXICAL, SEMANTIC
from crawler.verify.score import (
    Coverage,
    SupportFeatures,
    candidates,
    names_in,
    prepare_claim,
    rank_evidence,
    support_features,
    support_score,
)
from crawler.verify.verdict import Thresholds, decide

SOURCE = (
    "The Millbrook plant opened in 1968. It supplies drinking water to roughly 87,000 households. "
    "Inspectors found that two of its four sand filters were worn out. The council approved a "
    "£14.2 million upgrade on Monday. Construction starts in September and lasts eighteen months. "
    "Deputy leader Tomasz Brennan opposed the plan."
)


@pytest.fixture(scope="module")
def source():
    return prepare_source(SOURCE)


def _features(claim: str, source) -> tuple[list[tuple[int, float]], SupportFeatures]:
    prepared = prepare_claim(claim, source)
    coverage = Coverage(prepared, source)
    ranked = rank_evidence(source, coverage, candidates(prepared, source))
    return ranked, support_features(prepared, source, ranked)


def test_best_passage_is_the_one_covering_the_claim(source) -> None:
    ranked, features = _features("On Monday the council approved a 14.2 million upgrade.", source)
    best = source.passages[ranked[0][0]]
    assert "approved a £14.2 million upgrade" in SOURCE[best.start : best.end]
    assert features.best_coverage > 0.6
    assert features.missing_numbers == 0


def test_evidence_passages_do_not_overlap(source) -> None:
    ranked, _ = _features("Millbrook plant filters upgrade council construction households Brennan", source)
    spans = [source.passages[number] for number, _ in ranked]
    assert 2 <= len(spans) <= 3
    for a in spans:
        for b in spans:
            assert a is b or a.last < b.first or b.last < a.first


def test_numbers_and_names_absent_from_the_source_are_counted(source) -> None:
    _, features = _features("The council approved a £19.5 million upgrade, said Mayor Priya Lindqvist.", source)
    assert features.missing_numbers == 1
    assert features.missing_names == 3  # Mayor, Priya, Lindqvist


def test_names_are_capitalised_words_not_opening_a_sentence() -> None:
    assert names_in("The plan was opposed by Tomasz Brennan. Later, it passed") == ["tomasz", "brennan"]


def lexical_score(features: SupportFeatures) -> float:
    return support_score(features, LEXICAL.weights, LEXICAL.intercept)


@pytest.mark.parametrize("sentences", [1, 12, 400])
def test_support_score_rises_with_coverage_and_falls_with_what_the_evidence_lacks(sentences: int) -> None:
    def score(coverage: float, **changes: object) -> float:
        fields = {"missing_numbers": 0, "missing_names": 0, "source_sentences": sentences, **changes}
        return lexical_score(SupportFeatures(coverage, **fields))

    assert score(1.0) > score(0.5) > score(0.1)
    assert score(1.0, missing_numbers=2) < score(1.0)
    assert score(1.0, conflicts=1) < score(1.0)
    assert score(1.0, claim_negated_only=True) < score(1.0)
    assert score(1.0, overstated=True) < score(1.0)
    assert 0 <= score(0.0, missing_numbers=5, missing_names=5) < LEXICAL.thresholds.supported


def test_semantic_score_rises_with_the_cosine() -> None:
    features = [SupportFeatures(0.5, 0, 0, semantic=cosine) for cosine in (0.2, 0.5, 0.8)]
    scores = [support_score(f, SEMANTIC.weights, SEMANTIC.intercept) for f in features]
    assert scores == sorted(scores) and scores[0] < scores[-1]


def test_claim_with_no_match_has_no_evidence(source) -> None:
    ranked, features = _features("Koalas eat eucalyptus leaves in Queensland", source)
    assert ranked == []
    # "Koalas" opens the sentence: not a name
    assert features == SupportFeatures(0.0, 0, 1, source_sentences=len(source.sentences))


FOUND = QuoteCheck("a quiet tax rise", True, 100.0, 3, 19)
MISSING = QuoteCheck("a loud tax rise", False, 80.0, None, None)
SCARE = QuoteCheck("dual-use", False, 0.0, None, None)
CONFLICT = Conflict("direction", TextSpan("rose", 7, 11), TextSpan("fell", 20, 24))
CUTS = Thresholds(supported=50.0, partial=20.0, contradicted=40.0)


@pytest.mark.parametrize(
    ("score", "coverage", "quotes", "conflicts", "verdict"),
    [
        (80.0, 90.0, [], [], "supported"),
        (40.0, 60.0, [], [], "partial"),
        (40.0, 10.0, [], [], "not_found"),
        (80.0, 19.9, [], [], "not_found"),  # no score makes a source speak to a claim it barely covers
        (80.0, 90.0, [FOUND], [], "supported"),
        (80.0, 90.0, [MISSING], [], "partial"),  # a decisive quote missing caps the verdict
        (10.0, 5.0, [FOUND], [], "partial"),  # decisive quotes all found lift not_found
        (10.0, 5.0, [FOUND, MISSING], [], "not_found"),
        (80.0, 90.0, [SCARE], [], "supported"),  # scare quotes never decide
        (10.0, 5.0, [SCARE], [], "not_found"),
        (80.0, 90.0, [], [CONFLICT], "contradicted"),  # the passage is about the same thing and says otherwise
        (30.0, 40.0, [FOUND], [CONFLICT], "contradicted"),
        (30.0, 39.9, [], [CONFLICT], "partial"),  # a conflict in a passage about something else does not count
    ],
)
def test_verdict_rules(score: float, coverage: float, quotes: list, conflicts: list, verdict: str) -> None:
    assert decide(score, coverage, quotes, conflicts, CUTS) == verdict


@pytest.mark.parametrize("calibration", [LEXICAL, SEMANTIC])
def test_shipped_thresholds_are_ordered_scores(calibration) -> None:
    assert 0 < calibration.thresholds.partial < 100
    assert 0 < calibration.thresholds.supported < 100
    assert 0 <= calibration.thresholds.contradicted <= 100
    assert len(calibration.weights) == len(SupportFeatures(0.0, 0, 0).vector())


def test_passage_terms_are_the_union_of_their_sentences(source) -> None:
    for number, passage in enumerate(source.passages):
        sentences = source.sentence_terms[passage.first : passage.last + 1]
        assert source.passage_terms(number) == frozenset().union(*sentences)


def test_coverage_of_a_passage_is_the_idf_weighted_share_of_the_claim_terms_it_holds(source) -> None:
    claim = prepare_claim("The council approved the upgrade of the Millbrook plant.", source)
    numbers = range(len(source.passages))
    expected = [
        sum(weight for term, weight in claim.term_weights.items() if term in source.passage_terms(number))
        / claim.total_weight
        for number in numbers
    ]
    assert Coverage(claim, source).of_each(numbers) == pytest.approx(expected)
    assert max(expected) > 0


def test_bm25_scores_add_up_over_repeated_query_terms(source) -> None:
    index = source.index
    repeated = index.scores(["council", "upgrade", "council"])
    assert repeated == pytest.approx(2 * index.scores(["council"]) + index.scores(["upgrade"]))
    assert not index.scores(["absent"]).any()
