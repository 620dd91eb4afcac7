"""Archive fallback: find an archived copy of a source from before it was cited, check it, verify claims on it."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from crawler.charset import decode_html
from crawler.enums import HEALTHY
from crawler.exceptions import CitetrackError
from crawler.extract import extract_document
from crawler.fetch import FetchedPage, fetch_url
from crawler.health.outcome import FetchOutcome
from crawler.health.status import classify
from crawler.netguard import AddressPolicy
from crawler.verify import PreparedSource, prepare_source, verify_claim

WAYBACK_FORMAT = "%Y%m%d%H%M%S"
Fetch = Callable[[str], FetchedPage]
# Dates before the target to ask about in turn when the closest capture is too late or an error page.
LOOKBACK = (timedelta(0), timedelta(days=90), timedelta(days=365), timedelta(days=3 * 365))


@dataclass(frozen=True)
class CitingClaim:
    """A claim to verify against an archived copy."""

    claim_id: int
    text: str
    quotes: Sequence[str] = ()


@dataclass(frozen=True)
class ArchiveResult:
    """What the archive offered for one source: the copy (or why none is usable) and the claims verified on it."""

    source_url: str
    archive_url: str | None
    timestamp: datetime | None
    usable: bool
    reason: str
    verdicts: list[dict[str, Any]] = field(default_factory=list)

    def as_evidence(self) -> dict[str, Any]:
        """Return the JSON stored with the flag."""
        supported = sum(v["verdict"] in ("supported", "partial") for v in self.verdicts)
        return {
            "archive_url": self.archive_url,
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "usable": self.usable,
            "reason": self.reason,
            "claims_supported": supported,
            "claims": self.verdicts,
        }


def archive_host(base_url: str) -> str:
    """Return the ``host[:port]`` of the archive, which fetches may reach even on a private address."""
    parts = urlsplit(base_url)
    return f"{parts.hostname}:{parts.port}" if parts.port else (parts.hostname or "")


def archive_fetcher(policy: AddressPolicy, user_agent: str, timeout: float = 20.0) -> Fetch:
    """Return a fetch function for the archive's lookups and copies under ``policy``."""
    return lambda url: fetch_url(url, policy=policy, timeout=timeout, user_agent=user_agent)


def availability_url(base_url: str, url: str, when: datetime | None) -> str:
    """Return the Wayback availability lookup URL for ``url`` around ``when``."""
    query = {"url": url} | ({"timestamp": when.astimezone(UTC).strftime(WAYBACK_FORMAT)} if when else {})
    return f"{base_url}/wayback/available?{urlencode(query)}"


def closest_before(answer: dict[str, Any], limit: datetime | None) -> tuple[str, datetime] | None:
    """Return the closest capture's URL and time from an availability answer, if it is a 2xx capture before ``limit``.

    Raises ``ValueError`` for an answer that is not shaped like the availability API's.
    """
    snapshots = _shaped(answer, dict, "the answer").get("archived_snapshots") or {}
    closest = _shaped(_shaped(snapshots, dict, "archived_snapshots").get("closest") or {}, dict, "closest")
    if not closest.get("available") or not str(closest.get("status", "200")).startswith("2"):
        return None
    if not isinstance(closest.get("url"), str):
        raise ValueError("unexpected answer from the archive: closest has no url")
    try:
        taken = datetime.strptime(str(closest["timestamp"])[:14], WAYBACK_FORMAT).replace(tzinfo=UTC)
    except (KeyError, ValueError):
        return None
    if limit is not None and taken > limit:
        return None
    return str(closest["url"]), taken


def _shaped(value: Any, kind: type, name: str) -> Any:
    if not isinstance(value, kind):
        raise ValueError(f"unexpected answer from the archive: {name} is not a JSON object")
    return value


def find_archived_copy(
    url: str, claims: Sequence[CitingClaim], *, target: datetime | None, limit: datetime | None, base_url: str, fetch: Fetch
) -> ArchiveResult:
    """Look up, fetch and check the capture of ``url`` closest to ``target`` (and not after ``limit``); verify claims on it."""
    try:
        found = _lookup(url, target, limit, base_url, fetch)
    except (CitetrackError, ValueError) as error:
        return ArchiveResult(url, None, None, False, f"archive lookup failed: {error}")
    if found is None:
        return ArchiveResult(url, None, None, False, "no capture before the article was ingested")
    copy_url, taken = found
    try:
        page = fetch(copy_url)
    except CitetrackError as error:
        return ArchiveResult(url, copy_url, taken, False, f"archived copy could not be fetched: {error}")
    content_type = page.headers.get("content-type")
    try:
        document = extract_document(page.body, content_type, page.final_url)
    except CitetrackError as error:
        return ArchiveResult(url, copy_url, taken, False, f"archived copy could not be read: {error}")
    html = decode_html(page.body, content_type) if document.kind == "html" else None
    outcome = FetchOutcome(url=copy_url, final_url=page.final_url, http_status=page.status, content_type=content_type,
                           html=html, document=document, redirect_chain=list(page.redirect_chain))  # fmt: skip
    status = classify(outcome)
    if status.status not in HEALTHY:
        return ArchiveResult(url, copy_url, taken, False, f"archived copy is itself {status.status} ({status.evidence['rule']})")
    prepared = prepare_source(document.text)
    verdicts = [_verdict_row(claim, prepared) for claim in claims]
    return ArchiveResult(url, copy_url, taken, True, "archived copy has text", verdicts)


def _lookup(url: str, target: datetime | None, limit: datetime | None, base_url: str, fetch: Fetch) -> tuple[str, datetime] | None:
    """Ask for the capture closest to ``target``, then to earlier dates, until one is a good capture before ``limit``.

    The availability API answers with the single closest capture, which may be later than wanted.
    """
    aims = [target] if target is None else [target - step for step in LOOKBACK]
    for aim in aims:
        answer = json.loads(fetch(availability_url(base_url, url, aim)).body)
        found = closest_before(answer, limit)
        if found is not None:
            return found
    return None


def _verdict_row(claim: CitingClaim, prepared: PreparedSource) -> dict[str, Any]:
    """Return a claim's verdict on the archived copy, with its best passage."""
    verdict = verify_claim(claim.text, prepared, quotes=list(claim.quotes))
    passage = verdict.evidence[0].text if verdict.evidence else None
    return {"claim_id": claim.claim_id, "verdict": verdict.verdict, "score": verdict.score, "passage": passage}
