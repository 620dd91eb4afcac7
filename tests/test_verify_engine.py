"""The public engine API: prepare a source once, verify claims, evidence offsets into the source text."""

from __future__ import annotations

from pathlib import Path

import pytest

import crawler.verify as verify
from crawler.verify import (
    ClaimVerdict,
    prepare_source,
    unavailable_verdict,
    verify_claim,
)

FERRY = (Path(__file__).parent / "fixtures" / "check" / "ferry-note.txt").read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def ferry():
    return prepare_source(FERRY)


def test_public_api_is_exported_sorted() -> None:
    assert verify.__all__ == sorted(verify.__all__)
    assert {"prepare_source", "verify_claim", "unavailable_verdict", "ClaimVerdict"} <= set(verify.__all__)


def test_supported_claim_has_evidence_whose_text_is_the_source_slice(ferry) -> None:
    result = verify_claim("Ferry crossings to Calder Isle were cancelled on 14 days in the third quarter.", ferry)
    assert result.verdict == "supported"
    assert result.score >= 50
    assert 1 <= len(result.evidence) <= 3
    for item in result.evidence:
        assert item.text == FERRY[item.start : item.end]
    assert "cancelled on 14 days" in result.evidence[0].text


def test_claim_with_another_number_for_the_same_measure_is_contradicted(ferry) -> None:
    result = verify_claim("Passenger numbers fell by 25 per cent last year.", ferry, contradicted=True)
    assert result.verdict == "contradicted"
    assert [(c.kind, c.claim.text, c.source.text) for c in result.conflicts] == [
        ("percentage", "25 per cent", "12 per cent")
    ]
    conflict = result.conflicts[0]
    assert FERRY[conflict.source.start : conflict.source.end] == "12 per cent"


def test_callers_that_do_not_know_contradicted_get_the_other_verdicts(ferry) -> None:
    result = verify_claim("Passenger numbers fell by 25 per cent last year.", ferry)
    assert result.verdict in {"partial", "not_found"}
    assert result.conflicts == []
    assert result.as_dict()["conflicts"] == []


def test_claim_with_a_number_the_source_lacks_is_not_supported(ferry) -> None:
    result = verify_claim("Ferry crossings to Calder Isle were cancelled on 14 days after 3 storms.", ferry, contradicted=True)
    assert result.verdict in {"partial", "supported"}
    assert result.conflicts == []


def test_unrelated_claim_is_not_found_and_scores_below_a_covered_one(ferry) -> None:
    result = verify_claim("The museum acquired a Roman mosaic depicting dolphins for its new gallery.", ferry)
    covered = verify_claim("Ferry crossings to Calder Isle were cancelled on 14 days in the third quarter.", ferry)
    assert result.verdict == "not_found"
    # on a short source the score stays near the prior the calibration learnt for excerpts; coverage still ranks
    assert result.score < covered.score


def test_paraphrase_from_the_issue_is_partial_not_missed() -> None:
    source = prepare_source(
        "Open models invite scrutiny from thousands of independent researchers. In our view, this collective "
        "oversight tends to make systems more secure rather than less. Maintainers shipped fixes within weeks."
    )
    claim = "Openness actually enhances security through the mechanism of collective oversight."
    assert verify_claim(claim, source, contradicted=True).verdict in {"supported", "partial"}


def test_quotes_default_to_the_claims_double_quoted_spans(ferry) -> None:
    result = verify_claim('The operator blamed "persistent gale-force winds" for the cancellations.', ferry)
    assert [(q.text, q.found) for q in result.quotes] == [("persistent gale-force winds", True)]
    quote = result.quotes[0]
    assert FERRY[quote.start : quote.end] == "persistent gale-force winds"


def test_explicit_quotes_replace_the_detected_ones(ferry) -> None:
    result = verify_claim('She said "ready before spring".', ferry, quotes=["before the spring timetable starts"])
    assert [q.text for q in result.quotes] == ["before the spring timetable starts"]
    assert result.quotes[0].found


def test_misquoted_claim_is_not_supported(ferry) -> None:
    result = verify_claim(
        'The harbour master said the pontoon would be ready "before the summer timetable starts."', ferry
    )
    assert not result.quotes[0].found
    assert result.verdict != "supported"


def test_as_dict_has_the_contract_shape(ferry) -> None:
    document = verify_claim('Freight bookings rose slightly, the note says "rose slightly".', ferry).as_dict()
    assert set(document) == {"verdict", "score", "evidence", "quotes", "conflicts"}
    assert set(document["evidence"][0]) == {"text", "start", "end", "score"}
    assert set(document["quotes"][0]) == {"text", "found", "score", "start", "end"}


def test_source_without_text_gives_unavailable() -> None:
    result = verify_claim("Anything at all.", prepare_source("  \n "))
    assert result.verdict == "unavailable"


def test_unavailable_verdict_carries_its_reason() -> None:
    result = unavailable_verdict("HTTP 404")
    assert result == ClaimVerdict("unavailable", 0.0, [], [], "HTTP 404")
    assert result.as_dict() == {"verdict": "unavailable", "score": 0.0, "evidence": [], "quotes": [], "conflicts": []}
