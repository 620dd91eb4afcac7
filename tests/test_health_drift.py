"""Drift: a supporting passage that disappears raises a flag; date stamps, counters and menus do not."""

from __future__ import annotations

from crawler.health.drift import VERDICT_RANK, passage_still_there, support_dropped, turned_contradicted
from tests.driftdata import COSMETIC, DRIFTED, PAGE, PASSAGE


def test_support_dropped_when_the_verdict_or_the_score_falls_with_the_passage_gone():
    evidence = [{"text": PASSAGE, "start": 0, "end": len(PASSAGE), "score": 90.0}]
    assert support_dropped("supported", 80, evidence, "not_found", 5, DRIFTED)
    assert support_dropped("partial", 50, evidence, "not_found", 5, DRIFTED)
    assert support_dropped("supported", 80, evidence, "supported", 60, DRIFTED), "support now rests on weaker text"
    assert not support_dropped("supported", 80, evidence, "supported", 75, DRIFTED)
    assert not support_dropped("not_found", 10, evidence, "unavailable", 0, DRIFTED)


def test_support_dropped_is_false_when_the_old_passage_is_still_there():
    evidence = [{"text": PASSAGE, "start": 0, "end": len(PASSAGE), "score": 90.0}]
    assert not support_dropped("supported", 80, evidence, "partial", 40, COSMETIC)
    copy_edited = COSMETIC.replace("rose by 12 percent", "rose by 12 per cent")
    assert passage_still_there(PASSAGE, copy_edited)
    assert not passage_still_there(PASSAGE, DRIFTED)


CONTRADICTING = PASSAGE.replace("rose", "fell")


def test_a_supported_claim_that_a_new_passage_contradicts_turned_contradicted():
    evidence = [{"text": CONTRADICTING, "start": 0, "end": len(CONTRADICTING), "score": 90.0}]
    old_text = PAGE
    assert turned_contradicted("supported", "contradicted", evidence, old_text)
    assert turned_contradicted("partial", "contradicted", evidence, old_text)
    assert not turned_contradicted("not_found", "contradicted", evidence, old_text), "there was no support to lose"
    assert not turned_contradicted("supported", "not_found", evidence, old_text)
    assert not turned_contradicted("supported", "contradicted", [], old_text)


def test_a_contradicting_passage_the_old_text_already_had_is_not_a_change_of_the_source():
    evidence = [{"text": CONTRADICTING, "start": 0, "end": len(CONTRADICTING), "score": 90.0}]
    assert not turned_contradicted("supported", "contradicted", evidence, COSMETIC + " " + CONTRADICTING)


def test_a_one_word_edit_that_contradicts_the_claim_leaves_the_old_passage_nearly_in_place():
    """Why the contradicted rule exists: support_dropped alone calls "rose" → "fell" cosmetic."""
    new_text = COSMETIC.replace(PASSAGE, CONTRADICTING)
    evidence = [{"text": PASSAGE, "start": 0, "end": len(PASSAGE), "score": 90.0}]
    assert passage_still_there(PASSAGE, new_text)
    assert not support_dropped("supported", 80, evidence, "contradicted", 40, new_text)


def test_contradicted_ranks_below_not_found_and_above_unavailable():
    assert VERDICT_RANK["not_found"] > VERDICT_RANK["contradicted"] > VERDICT_RANK["unavailable"]
    assert VERDICT_RANK["supported"] > VERDICT_RANK["partial"] > VERDICT_RANK["not_found"]
