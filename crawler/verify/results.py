"""What the matching engine returns: a verdict per claim with its evidence, quote checks and conflicts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from crawler.enums import Verdict

SUPPORTED = Verdict.SUPPORTED
PARTIAL = Verdict.PARTIAL
NOT_FOUND = Verdict.NOT_FOUND
CONTRADICTED = Verdict.CONTRADICTED
UNAVAILABLE = Verdict.UNAVAILABLE
VERDICTS = tuple(Verdict)
CONFLICT_KINDS = ("negation", "direction", "number", "date", "percentage", "quantity", "quantifier")


@dataclass(frozen=True)
class Evidence:
    """A passage of the source; ``text == source_text[start:end]``; ``score`` is the share of the claim it covers."""

    text: str
    start: int
    end: int
    score: float

    def as_dict(self) -> dict[str, Any]:
        """Return ``{"text", "start", "end", "score"}``."""
        return asdict(self)


@dataclass(frozen=True)
class TextSpan:
    """A region of a text: ``text == whole_text[start:end]``."""

    text: str
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        """Return ``{"text", "start", "end"}``."""
        return asdict(self)


@dataclass(frozen=True)
class Conflict:
    """Where the evidence says otherwise: ``claim`` spans the claim text, ``source`` the source text."""

    kind: str
    claim: TextSpan
    source: TextSpan

    def as_dict(self) -> dict[str, Any]:
        """Return ``{"kind", "claim": {"text", "start", "end"}, "source": {"text", "start", "end"}}``."""
        return asdict(self)


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
        return asdict(self)


@dataclass(frozen=True)
class ClaimVerdict:
    """The verdict on one claim against one source, with a support score from 0 to 100."""

    verdict: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    quotes: list[QuoteCheck] = field(default_factory=list)
    reason: str | None = None
    conflicts: list[Conflict] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON shape ``{"verdict", "score", "evidence": [...], "quotes": [...], "conflicts": [...]}``."""
        return {
            "verdict": self.verdict,
            "score": self.score,
            "evidence": [item.as_dict() for item in self.evidence],
            "quotes": [check.as_dict() for check in self.quotes],
            "conflicts": [conflict.as_dict() for conflict in self.conflicts],
        }
