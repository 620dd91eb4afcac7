"""Which citation of a claim carries its support: ALCE-style citation recall and precision per claim.

ALCE (Gao et al., 2023) counts a statement as recalled when its cited passages together entail it, and a
citation as irrelevant when it does not support the statement alone while the remaining citations still do.
citetrack verifies each (claim, source) pair on its own, so "entails" is the verdict ``supported`` and the
joint check is approximated by "some citation supports it alone": a lower bound on ALCE's recall (two
``partial`` sources that only together cover a claim are not credited).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SUPPORTED = "supported"
PARTIAL = "partial"
NOT_FOUND = "not_found"
UNAVAILABLE = "unavailable"
VERDICTS = (SUPPORTED, PARTIAL, NOT_FOUND, UNAVAILABLE)  # best first

# Roles of one citation within its claim.
CARRIES = "carries"  # supports the claim on its own
ADDS_NOTHING = "adds_nothing"  # does not support it alone, and the other citations do (ALCE: irrelevant)
INSUFFICIENT = "insufficient"  # the claim is not supported by its citations; this one does not fix that


@dataclass(frozen=True)
class Attribution:
    """ALCE figures for one claim and the role of each of its citations, keyed by reference number."""

    recall: int
    precision: float | None
    roles: dict[int, str]


def best_verdict(verdicts: list[str]) -> str:
    """Return the strongest verdict among a claim's checks (``unavailable`` when there is none)."""
    return min(verdicts, key=VERDICTS.index, default=UNAVAILABLE)


def attribute(verdicts: Mapping[int, str]) -> Attribution:
    """Return citation recall (0/1), precision (share of relevant citations) and each citation's role."""
    supporting = {number for number, verdict in verdicts.items() if verdict == SUPPORTED}
    recall = 1 if supporting else 0
    roles = {
        number: CARRIES if number in supporting else (ADDS_NOTHING if recall else INSUFFICIENT) for number in verdicts
    }
    precision = len(supporting) / len(verdicts) if verdicts else None
    return Attribution(recall, precision, roles)
