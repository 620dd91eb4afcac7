"""Which citation of a claim carries its support: ALCE-style citation recall and precision per claim.

ALCE (Gao et al., 2023) counts a statement as recalled when its cited passages together entail it, and a
citation as irrelevant when it does not support the statement alone while the remaining citations still do.
citetrack verifies each (claim, source) pair on its own, so "entails" is the verdict ``supported`` and the
joint check is approximated by "some citation supports it alone": a lower bound on ALCE's recall (two
``partial`` sources that only together cover a claim are not credited).

A citation whose source says otherwise (``contradicted``) never supports: it counts against precision like any
irrelevant citation, leaves recall to the other citations, and has a role of its own, ``contradicts``, whatever
the other citations do, because a fact-checker must see it even when another source supports the claim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crawler.enums import Verdict

# Best first, as the enum is declared: contradicted is worse than not_found; unavailable (no verdict) comes last.
RANKED = tuple(Verdict)

# Roles of one citation within its claim.
CARRIES = "carries"  # supports the claim on its own
ADDS_NOTHING = "adds_nothing"  # does not support it alone, and the other citations do (ALCE: irrelevant)
INSUFFICIENT = "insufficient"  # the claim is not supported by its citations; this one does not fix that
CONTRADICTS = "contradicts"  # its source says otherwise


@dataclass(frozen=True)
class Attribution:
    """ALCE figures for one claim and the role of each of its citations, keyed by reference number."""

    recall: int
    precision: float | None
    roles: dict[int, str]


def best_verdict(verdicts: list[str]) -> str:
    """Return the strongest verdict among a claim's checks (``unavailable`` when there is none)."""
    return min(verdicts, key=RANKED.index, default=Verdict.UNAVAILABLE)


def attribute(verdicts: Mapping[int, str]) -> Attribution:
    """Return citation recall (0/1), precision (share of relevant citations) and each citation's role."""
    supporting = {number for number, verdict in verdicts.items() if verdict == Verdict.SUPPORTED}
    recall = 1 if supporting else 0
    roles = {number: _role(number in supporting, verdict, recall) for number, verdict in verdicts.items()}
    precision = len(supporting) / len(verdicts) if verdicts else None
    return Attribution(recall, precision, roles)


def _role(supports: bool, verdict: str, recall: int) -> str:
    if supports:
        return CARRIES
    if verdict == Verdict.CONTRADICTED:
        return CONTRADICTS
    return ADDS_NOTHING if recall else INSUFFICIENT
