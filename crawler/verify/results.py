"""What the matching engine returns: a verdict per claim with its evidence and quote checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VERDICTS = ("supported", "partial", "not_found", "unavailable")


@dataclass(frozen=True)
class Evidence:
    """A passage of the source; ``text == source_text[start:end]``; ``score`` is the share of the claim it covers."""

    text: str
    start: int
    end: int
    score: float

    def as_dict(self) -> dict[str, Any]:
        """Return ``{"text", "start", "end", "score"}``."""
        return {"text": self.text, "start": self.start, "end": self.end, "score": self.score}


@dataclass(frozen=True)
class QuoteCheck:
    """One quoted span of a claim looked up in the source; ``start``/``end`` are None when it was not found."""

    text: str
    found: bool
    score: float
    start: int | None
    end: int | None

    def as_dict(self) -> dict[str, Any]:
        """Return ``{"text", "found", "score", "start", "end"}``."""
        return {"text": self.text, "found": self.found, "score": self.score, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class ClaimVerdict:
    """The verdict on one claim against one source, with a support score from 0 to 100."""

    verdict: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    quotes: list[QuoteCheck] = field(default_factory=list)
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON shape ``{"verdict", "score", "evidence": [...], "quotes": [...]}``."""
        return {
            "verdict": self.verdict,
            "score": self.score,
            "evidence": [item.as_dict() for item in self.evidence],
            "quotes": [check.as_dict() for check in self.quotes],
        }
