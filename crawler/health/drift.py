"""Drift: a claim that a source supported loses that support in the source's newer text (the passage, not the page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from crawler.enums import SUPPORTING, Verdict

# Verdicts from strongest to weakest (the enum's order); drift is a move down this scale from a supporting verdict.
VERDICT_RANK = {verdict: len(Verdict) - 1 - rank for rank, verdict in enumerate(Verdict)}
# A supporting score that falls this much (0-100) with its passage gone is drift even if the verdict holds. The
# calibration fitted across three data sets (issue 9) spans about 40-70 on coverage alone, so 10 points is a third
# of that range (15 was, on the WiCE-only calibration's wider scale).
SCORE_DROP = 10.0
# rapidfuzz partial_ratio at or above which the old passage is still in the new text, copy-edited.
STILL_THERE = 95.0


@dataclass(frozen=True)
class ClaimDrift:
    """One claim whose support dropped between two snapshots of a source: both best passages, and what conflicts."""

    claim_id: int
    article_id: int
    reference: int
    old_verdict: str
    new_verdict: str
    old_score: float
    new_score: float
    old_passage: str | None
    new_passage: str | None
    conflicts: Sequence[dict[str, Any]] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON shape stored in a drift flag's evidence."""
        return {
            "claim_id": self.claim_id,
            "article_id": self.article_id,
            "reference": self.reference,
            "old_verdict": self.old_verdict,
            "new_verdict": self.new_verdict,
            "old_score": self.old_score,
            "new_score": self.new_score,
            "old_passage": self.old_passage,
            "new_passage": self.new_passage,
            "conflicts": list(self.conflicts),
        }


def support_dropped(
    old_verdict: str, old_score: float, old_evidence: Sequence[dict[str, Any]], new_verdict: str, new_score: float,
    new_text: str,
) -> bool:
    """Return True when a supporting verdict weakened and its evidence passage is gone from the new text.

    Weakened: the verdict fell, or the score fell by ``SCORE_DROP`` points (support now resting on weaker text,
    such as a headline). A passage still present, even lightly copy-edited, means the page changed around it
    (a date stamp, a counter, a menu): that is cosmetic, whatever the new score says.
    """
    if old_verdict not in SUPPORTING:
        return False
    fell = VERDICT_RANK.get(new_verdict, 0) < VERDICT_RANK[old_verdict] or old_score - new_score >= SCORE_DROP
    return fell and not passage_still_there(best_passage(old_evidence), new_text)


def turned_contradicted(
    old_verdict: str, new_verdict: str, new_evidence: Sequence[dict[str, Any]], old_text: str
) -> bool:
    """Return True when a supporting verdict became ``contradicted`` by a passage the old text did not have.

    A one-word edit ("rose" to "fell") leaves the old passage nearly in place, so ``support_dropped`` would call
    it cosmetic; the contradicting passage being new is the change. A contradicting passage the old text already
    had means the source did not change there (the verdict moved because the engine did).
    """
    if old_verdict not in SUPPORTING or new_verdict != Verdict.CONTRADICTED:
        return False
    passage = best_passage(new_evidence)
    return passage is not None and _flat(passage) not in _flat(old_text)


def passage_still_there(passage: str | None, text: str) -> bool:
    """Return True when ``passage`` appears in ``text`` word for word or nearly (a copy edit)."""
    if not passage:
        return False
    flat_passage, flat_text = _flat(passage), _flat(text)
    return flat_passage in flat_text or fuzz.partial_ratio(flat_passage, flat_text) >= STILL_THERE


def best_passage(evidence: Sequence[dict[str, Any]]) -> str | None:
    """Return the text of the best evidence passage of a verdict, or None."""
    return evidence[0]["text"] if evidence else None


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()
