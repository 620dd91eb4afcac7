"""The matching engine: verify claims and quotes against source text, with evidence offsets (no Scrapy, no DB)."""

from crawler.verify.engine import prepare_source, unavailable_verdict, verify_claim
from crawler.verify.results import ClaimVerdict, Evidence, QuoteCheck
from crawler.verify.source import PreparedSource

__all__ = [
    "ClaimVerdict",
    "Evidence",
    "PreparedSource",
    "QuoteCheck",
    "prepare_source",
    "unavailable_verdict",
    "verify_claim",
]
