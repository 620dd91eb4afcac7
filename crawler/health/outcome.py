"""What one check of a source saw (filled by the crawl) and the status it leads to (decided by health rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crawler.enums import HealthStatus
from crawler.extract import Document

# Transport failures the crawl reports in ``FetchOutcome.failure``.
FAILURES = frozenset(
    {
        "dns",  # host name did not resolve
        "refused",  # connection refused
        "timeout",  # connect or read timeout after retries
        "too_large",  # body over DOWNLOAD_MAXSIZE (compressed or decompressed)
        "robots",  # robots.txt disallows the URL
        "redirect_loop",  # a redirect revisits a URL of its own chain
        "too_many_redirects",
        "forbidden_address",  # refused by the private-address policy
        "connection",  # any other transport error (reset, TLS, …)
    }
)


@dataclass(frozen=True)
class HostProbe:
    """The host's answer for a random path that cannot exist, fetched once per host per crawl."""

    url: str
    http_status: int | None
    final_url: str | None
    text: str | None


@dataclass(frozen=True)
class FetchOutcome:
    """Everything one check of a source saw, before any judgement."""

    url: str
    final_url: str | None = None
    http_status: int | None = None
    redirect_chain: list[dict[str, Any]] = field(default_factory=list)
    failure: str | None = None
    failure_detail: str | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    html: str | None = None
    document: Document | None = None
    extraction_error: str | None = None
    retries: int = 0


@dataclass(frozen=True)
class Classification:
    """A source's status after one check, the evidence for it, and whether the check was conclusive."""

    status: HealthStatus
    evidence: dict[str, Any]
    conclusive: bool = True
