"""Response models of the overview endpoints, so their fields are in the OpenAPI document.

Times are ISO 8601 strings, as in every other response. Models allow extra fields: a field added later reaches
clients before its model catches up, and nothing a client already reads is ever dropped.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    """A response object that passes through fields its model does not name."""

    model_config = ConfigDict(extra="allow")


class VerdictCounts(Open):
    """Citations (claim × cited source) by their latest verdict; never verified counts as unavailable."""

    supported: int
    partial: int
    not_found: int
    contradicted: int
    unavailable: int


class ProblemSources(Open):
    """Cited sources with an open problem (dead, soft 404, drifted, …): confirmed over several checks or not yet."""

    confirmed: int
    unconfirmed: int


class ArticleRow(Open):
    """One article of the list with its overview counts."""

    id: int
    url: str | None
    title: str | None
    published: str | None
    ingested_at: str
    version: int
    claims: int
    outlet: str | None = Field(description="the article's publisher")
    checks: int = Field(description="citations checked, one per claim × cited source")
    verdicts: VerdictCounts
    needs_attention: int = Field(description="checks whose verdict is not_found, contradicted or unavailable")
    problem_sources: ProblemSources


class ArticlePage(Open):
    """One page of articles."""

    items: list[ArticleRow]
    page: int
    per_page: int
    total: int
    pages: int


class SourceFacts(Open):
    """A source (one canonical URL) and its latest health status."""

    id: int
    url: str
    status: str
    status_at: str | None
    last_checked_at: str | None
    replacement_url: str | None
    created_at: str
    editor_note: str | None


class CheckRow(Open):
    """One fetch of the source and the health status it led to."""

    id: int
    checked_at: str
    outcome: str
    status: str
    http_status: int | None
    snapshot_id: int | None


class SnapshotRow(Open):
    """One stored version of the source: when it was fetched and the hash of its text (not the text)."""

    id: int
    fetched_at: str
    http_status: int | None
    final_url: str | None
    content_type: str | None
    content_hash: str | None = Field(description="sha256 of the extracted text; null for a superseded extraction")
    title: str | None


class VerificationRow(Open):
    """A claim's verdict against one snapshot of the source."""

    snapshot_id: int | None
    verdict: str
    verified_at: str


class CitingClaim(Open):
    """A claim citing the source, its latest verdict, and its verdict against each snapshot, oldest first."""

    claim_id: int
    article_id: int
    index: int
    text: str
    reference: int = Field(description="the citation's number in the article")
    verdict: str
    verifications: list[VerificationRow]


class CitingReference(Open):
    """An article's reference to the source, with the archived copy the citation names."""

    article_id: int
    number: int
    outlet: str | None
    title: str | None
    url: str | None
    archive_url: str | None
    archive_captured_at: str | None


class Problem(Open):
    """An open problem flag of the source."""

    status: str
    confirmed: bool
    first_seen: str
    last_seen: str
    checks: int
    archive_url: str | None
    evidence: dict[str, object]


class ArchivedCopy(Open):
    """An archived copy of the source: found by an archive lookup, or named by a citation."""

    url: str
    captured_at: str | None
    found_by: str = Field(description="lookup | citation")


class Checks(Open):
    """The source's latest checks, oldest first, and how many there are in all."""

    items: list[CheckRow]
    total: int


class Snapshots(Open):
    """The source's latest snapshots, oldest first, and how many there are in all."""

    items: list[SnapshotRow]
    total: int


class CitingClaims(Open):
    """The claims citing the source (the first ones by article and index) and how many there are in all."""

    items: list[CitingClaim]
    total: int


class SourceOverview(Open):
    """Everything known about one source."""

    source: SourceFacts
    checks: Checks
    snapshots: Snapshots
    claims: CitingClaims
    references: list[CitingReference]
    problems: list[Problem]
    archives: list[ArchivedCopy]


class ProblemTotals(Open):
    """Sources with an open problem, and how many of them are confirmed."""

    open: int
    confirmed: int
    unconfirmed: int


class Stats(Open):
    """The store at a glance (the same document as ``citetrack stats --format json``)."""

    articles: int
    claims: int
    checks: int
    verdicts: VerdictCounts
    sources: int
    source_statuses: dict[str, int]
    problem_sources: ProblemTotals
    snapshots: int
    last_crawl: str | None = Field(description="time of the latest check of any source")
