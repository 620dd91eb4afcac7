"""Drift: a supporting passage that disappears raises a flag; date stamps, counters and menus do not."""

from __future__ import annotations

from crawler.health.drift import passage_still_there, support_dropped
from tests.driftdata import COSMETIC, DRIFTED, PASSAGE


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
