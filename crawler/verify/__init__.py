"""The matching engine: verify claims and quotes against source text, with evidence offsets (no Scrapy, no DB)."""

from crawler.verify.engine import prepare_source, unavailable_verdict, verify_claim
from crawler.verify.results import (
    CONTRADICTED,
    NOT_FOUND,
    PARTIAL,
    SUPPORTED,
    UNAVAILABLE,
    VERDICTS,
    ClaimVerdict,
    Conflict,
    Evidence,
    QuoteCheck,
    TextSpan,
)
from crawler.verify.semantic import Encoder
from crawler.verify.source import PreparedSource

__all__ = [
    "CONTRADICTED",
    "ClaimVerdict",
    "Conflict",
    "Encoder",
    "Evidence",
    "NOT_FOUND",
    "PARTIAL",
    "PreparedSource",
    "QuoteCheck",
    "SUPPORTED",
    "TextSpan",
    "UNAVAILABLE",
    "VERDICTS",
    "prepare_source",
    "unavailable_verdict",
    "verify_claim",
]
