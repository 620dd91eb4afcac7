"""Archive fallback rules: which capture of the availability API to take, and whether an archived copy is usable."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from crawler.charset import decode_html
from crawler.enums import SUPPORTING, Verdict
from crawler.health.outcome import Classification, FetchOutcome
from crawler.health.status import classify

WAYBACK_FORMAT = "%Y%m%d%H%M%S"
# Dates before the target to ask about in turn when the closest capture is too late or an error page.
LOOKBACK = (timedelta(0), timedelta(days=90), timedelta(days=365), timedelta(days=3 * 365))
# Where an archived copy came from: named by a citation of the source, or found by the archive's lookup API.
CITATION, ARCHIVE = "citation", "archive"


@dataclass(frozen=True)
class ArchiveResult:
    """What the archive offered for one source: the copy (or why none is usable) and the claims verified on it.

    ``found_by`` says where the copy came from (``citation`` or ``archive``); ``rejected`` lists the copies the
    citations named that were tried first and were not usable, each with the reason.
    """

    source_url: str
    archive_url: str | None
    timestamp: datetime | None
    usable: bool
    reason: str
    verdicts: list[dict[str, Any]] = field(default_factory=list)
    found_by: str = ARCHIVE
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def as_evidence(self) -> dict[str, Any]:
        """Return the JSON stored with the flag."""
        return {
            "archive_url": self.archive_url,
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "usable": self.usable,
            "reason": self.reason,
            "claims_supported": sum(v["verdict"] in SUPPORTING for v in self.verdicts),
            "claims_contradicted": sum(v["verdict"] == Verdict.CONTRADICTED for v in self.verdicts),
            "claims": self.verdicts,
            "found_by": self.found_by,
            "rejected": self.rejected,
        }


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


def copy_status(copy: FetchOutcome, body: bytes) -> Classification:
    """Return the health of an archived copy as fetched (``body`` is its raw body): a captured error page is no copy."""
    html = decode_html(body, copy.content_type) if copy.document is not None and copy.document.kind == "html" else None
    return classify(replace(copy, html=html))


def lookup_aims(target: datetime | None) -> list[datetime | None]:
    """Return the dates to ask the availability API about in turn: the target, then earlier ones (``LOOKBACK``)."""
    return [target] if target is None else [target - step for step in LOOKBACK]
