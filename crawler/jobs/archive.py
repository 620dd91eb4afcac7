"""Archive fallback: an archived copy of each flagged source (the citation's own first, else the archive's capture
from before the article was ingested), with the claims verified on it."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from crawler.enums import HEALTHY, HealthStatus
from crawler.exceptions import CitetrackError
from crawler.extract import extract_document
from crawler.fetch import FetchedPage, fetch_url
from crawler.health.archive import (
    ARCHIVE,
    CITATION,
    ArchiveResult,
    availability_url,
    closest_before,
    copy_status,
    lookup_aims,
)
from crawler.health.outcome import FetchOutcome
from crawler.jobs.flags import ARCHIVE_KEY
from crawler.jobs.verification import claim_verdict
from crawler.netguard import AddressPolicy
from crawler.urls import is_http_url
from crawler.verify import PreparedSource, prepare_source
from store.models import Article, Citation, Claim, Flag, Reference, Source

Fetch = Callable[[str], FetchedPage]
# Problems an archived copy can stand in for (a paywall or a bot wall still has the page online).
ARCHIVE_STATUSES = (HealthStatus.DEAD, HealthStatus.SOFT_404, HealthStatus.DRIFTED)


@dataclass(frozen=True)
class ArchiveTask:
    """One flagged source to look up: its claims, the copies its citations name, and the dates to look near and by."""

    flag_id: int
    url: str
    claims: list[Claim]
    target: datetime | None
    limit: datetime | None
    cited: list[tuple[str, datetime | None]]


def find_archives(factory: sessionmaker[Session], base_url: str, fetch: Fetch) -> None:
    """Look up each flagged source in the archive: one short transaction to read, one per result."""
    with factory.begin() as session:
        tasks = archive_tasks(session)
    for task in tasks:
        result = find_archived_copy(
            task.url, task.claims, cited=task.cited, target=task.target, limit=task.limit, base_url=base_url,
            fetch=fetch,
        )  # fmt: skip
        with factory.begin() as session:
            record_archive(session, task.flag_id, result)


def archive_tasks(session: Session, *, again: bool = False) -> list[ArchiveTask]:
    """Return the open dead, soft-404 and drifted flags without an archived copy (all of them when ``again``)."""
    query = (
        select(Flag, Source)
        .join(Source, Source.id == Flag.source_id)
        .where(Flag.resolved_at.is_(None), Flag.status.in_(ARCHIVE_STATUSES))
        .order_by(Flag.id)
    )
    if not again:
        query = query.where(Flag.archive_url.is_(None))
    return [_task(session, flag, source) for flag, source in session.execute(query).all()]


def record_archive(session: Session, flag_id: int, result: ArchiveResult) -> Flag:
    """Store an archive lookup on its flag; a usable copy becomes the suggested replacement."""
    flag = session.get_one(Flag, flag_id)
    flag.archive_url = result.archive_url if result.usable else None
    flag.evidence = {**(flag.evidence or {}), ARCHIVE_KEY: result.as_evidence()}
    session.flush()
    return flag


def _task(session: Session, flag: Flag, source: Source) -> ArchiveTask:
    """Build the lookup of one flag: the citations' own copies, the article's date to aim at, and its ingest date as
    the latest capture."""
    citing = select(Reference.article_id).where(Reference.source_id == source.id)
    ingested, published = session.execute(
        select(func.min(Article.ingested_at), func.min(Article.published_at)).where(Article.id.in_(citing))
    ).one()
    cited = (
        select(Citation.claim_id)
        .join(Reference, Reference.id == Citation.reference_id)
        .where(Reference.source_id == source.id)
    )
    claims = session.scalars(select(Claim).where(Claim.id.in_(cited)).order_by(Claim.article_id, Claim.index)).all()
    copies = session.execute(
        select(Reference.archive_url, Reference.archive_captured_at)
        .where(Reference.source_id == source.id, Reference.archive_url.is_not(None))
        .order_by(Reference.id)
    ).all()
    named = list(dict.fromkeys((url, taken) for url, taken in copies if is_http_url(url)))
    return ArchiveTask(flag.id, source.url, list(claims), published or ingested, ingested, named)


def find_archived_copy(
    url: str,
    claims: Sequence[Claim],
    *,
    cited: Sequence[tuple[str, datetime | None]] = (),
    target: datetime | None,
    limit: datetime | None,
    base_url: str,
    fetch: Fetch,
) -> ArchiveResult:
    """Return the first usable archived copy of ``url`` with the claims verified on it, or why there is none.

    The copies the citations name (``cited``: URL and capture time) come first, as the citing author chose them;
    then the archive's capture closest to ``target`` and not after ``limit``. Each is checked the same way.
    """
    rejected = []
    for copy_url, taken in cited:
        result = _checked_copy(url, copy_url, taken, claims, fetch, CITATION)
        if result.usable:
            return result
        rejected.append({"archive_url": copy_url, "reason": result.reason})
    return replace(_archive_copy(url, claims, target, limit, base_url, fetch), rejected=rejected)


def _archive_copy(
    url: str, claims: Sequence[Claim], target: datetime | None, limit: datetime | None, base_url: str, fetch: Fetch
) -> ArchiveResult:
    """Look up, fetch and check the archive's capture of ``url`` closest to ``target`` (not after ``limit``)."""
    try:
        found = _lookup(url, target, limit, base_url, fetch)
    except (CitetrackError, ValueError) as error:
        return ArchiveResult(url, None, None, False, f"archive lookup failed: {error}")
    if found is None:
        return ArchiveResult(url, None, None, False, "no capture before the article was ingested")
    return _checked_copy(url, *found, claims, fetch, ARCHIVE)


def _checked_copy(
    url: str, copy_url: str, taken: datetime | None, claims: Sequence[Claim], fetch: Fetch, found_by: str
) -> ArchiveResult:
    """Fetch an archived copy of ``url``, refuse it if it is itself broken, and verify the claims on its text."""
    copy = partial(ArchiveResult, url, copy_url, taken, found_by=found_by)
    try:
        page = fetch(copy_url)
    except CitetrackError as error:
        return copy(False, f"archived copy could not be fetched: {error}")
    content_type = page.headers.get("content-type")
    try:
        document = extract_document(page.body, content_type, page.final_url)
    except CitetrackError as error:
        return copy(False, f"archived copy could not be read: {error}")
    fetched = FetchOutcome(url=copy_url, final_url=page.final_url, http_status=page.status, content_type=content_type,
                           document=document, redirect_chain=list(page.redirect_chain))  # fmt: skip
    status = copy_status(fetched, page.body)
    if status.status not in HEALTHY:
        return copy(False, f"archived copy is itself {status.status} ({status.evidence['rule']})")
    prepared = prepare_source(document.text)
    return copy(True, "archived copy has text", [_verdict_row(claim, prepared) for claim in claims])


def _lookup(
    url: str, target: datetime | None, limit: datetime | None, base_url: str, fetch: Fetch
) -> tuple[str, datetime] | None:
    """Ask for the capture closest to ``target``, then to earlier dates, until one is a good capture before ``limit``.

    The availability API answers with the single closest capture, which may be later than wanted.
    """
    for aim in lookup_aims(target):
        answer = json.loads(fetch(availability_url(base_url, url, aim)).body)
        found = closest_before(answer, limit)
        if found is not None:
            return found
    return None


def _verdict_row(claim: Claim, prepared: PreparedSource) -> dict[str, Any]:
    """Return a claim's verdict on the archived copy, with its best passage and, if contradicted, the conflicts."""
    verdict = claim_verdict(claim, prepared)
    passage = verdict.evidence[0].text if verdict.evidence else None
    conflicts = [conflict.as_dict() for conflict in verdict.conflicts]
    return {"claim_id": claim.id, "verdict": verdict.verdict, "score": verdict.score, "passage": passage,
            "conflicts": conflicts}  # fmt: skip


def archive_host(base_url: str) -> str:
    """Return the ``host[:port]`` of the archive, which fetches may reach even on a private address."""
    parts = urlsplit(base_url)
    return f"{parts.hostname}:{parts.port}" if parts.port else (parts.hostname or "")


def archive_fetcher(policy: AddressPolicy, user_agent: str, timeout: float = 20.0) -> Fetch:
    """Return a fetch function for the archive's lookups and copies under ``policy``."""
    return lambda url: fetch_url(url, policy=policy, timeout=timeout, user_agent=user_agent)
