"""ALCE-style citation recall and precision per claim, and which citation carries the support."""

from __future__ import annotations

import pytest

from crawler.report.attribution import attribute, best_verdict


def test_one_supporting_citation_carries_and_the_other_adds_nothing() -> None:
    result = attribute({1: "supported", 6: "not_found"})
    assert (result.recall, result.precision) == (1, 0.5)
    assert result.roles == {1: "carries", 6: "adds_nothing"}


def test_a_partial_citation_next_to_a_supporting_one_adds_nothing() -> None:
    assert attribute({1: "partial", 2: "supported"}).roles == {1: "adds_nothing", 2: "carries"}


def test_two_supporting_citations_are_both_relevant() -> None:
    result = attribute({1: "supported", 2: "supported"})
    assert (result.recall, result.precision, set(result.roles.values())) == (1, 1.0, {"carries"})


def test_a_claim_no_citation_supports_has_zero_recall_and_precision() -> None:
    result = attribute({1: "partial", 2: "unavailable"})
    assert (result.recall, result.precision) == (0, 0.0)
    assert set(result.roles.values()) == {"insufficient"}


def test_a_contradicting_citation_contradicts_even_beside_a_supporting_one_and_counts_against_precision() -> None:
    result = attribute({1: "supported", 2: "contradicted", 3: "not_found"})
    assert (result.recall, result.precision) == (1, 1 / 3)
    assert result.roles == {1: "carries", 2: "contradicts", 3: "adds_nothing"}


def test_a_claim_its_only_citation_contradicts_has_zero_recall_and_precision() -> None:
    result = attribute({1: "contradicted"})
    assert (result.recall, result.precision, result.roles) == (0, 0.0, {1: "contradicts"})


def test_a_claim_without_citations_has_no_precision() -> None:
    assert (attribute({}).recall, attribute({}).precision) == (0, None)


@pytest.mark.parametrize(
    ("verdicts", "best"),
    [
        (["not_found", "supported", "partial"], "supported"),
        (["unavailable", "partial"], "partial"),
        (["unavailable", "not_found"], "not_found"),
        (["contradicted", "not_found"], "not_found"),
        (["contradicted", "partial"], "partial"),
        (["unavailable", "contradicted"], "contradicted"),
        ([], "unavailable"),
    ],
)
def test_best_verdict_is_the_strongest_check(verdicts: list[str], best: str) -> None:
    assert best_verdict(verdicts) == best
