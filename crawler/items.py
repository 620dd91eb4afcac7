"""Items the sources spider yields: one per check of a source, with the raw exchange behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ProbeFetch:
    """The host's raw answer for a path that cannot exist (the soft-404 probe), shared by its pages."""

    host: str
    url: str
    http_status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    body: bytes | None = field(default=None, repr=False)


@dataclass
class SourceCheckItem:
    """Everything one check of a source saw: the exchange, its redirects, its body, or why it failed.

    ``fetches`` lists every HTTP exchange behind the result (a report landing page, then its PDF).
    ``retry_after`` is the last Retry-After (seconds) the server asked for, honoured before retrying.
    ``previous_*`` describe the latest stored snapshot, so the pipeline can tell an unchanged body.
    """

    source_id: int
    url: str
    final_url: str | None = None
    http_status: int | None = None
    redirect_chain: list[dict[str, Any]] = field(default_factory=list)
    fetches: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    body: bytes | None = field(default=None, repr=False)
    failure: str | None = None
    failure_detail: str | None = None
    retries: int = 0
    retry_after: float | None = None
    outlet: str | None = None
    probe: ProbeFetch | None = field(default=None, repr=False)
    previous_snapshot_id: int | None = None
    previous_hash: str | None = None
