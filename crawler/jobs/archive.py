"""Archive fallback: look up an archived copy of each flagged source from before it was cited, verify claims on it."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from crawler.enums import HEALTHY, HealthStatus
from crawler.exceptions import CitetrackError
from crawler.extract import extract_document
from crawler.fetch import FetchedPage, fetch_url
from crawler.health.archive import ArchiveResult, availability_url, closest_before, copy_status, lookup_aims
from crawler.health.outcome import FetchOutcome
from crawler.jobs.flags import ARCHIVE_KEY
from crawler.jobs.verification import claim_verdict
from crawler.netguard import AddressPolicy
from crawler.verify import PreparedSource, prepare_source
from store.models import Article, Citation, Claim, Flag, Reference, Source

Fetch = Callable[[str], FetchedPage]
# Problems an archived copy can stand in for (a paywall or a bot wall still has the page online).
ARCHIVE_STATUSES = (HealthStatus.DEAD, HealthStatus.SOFT_404, HealthStatus.DRIFTED)


@dataclass(frozen=True)
class ArchiveTask:
    """One flagged source to look up: its claims, the date to look near, and the latest acceptable capture."""

    flag_id: int
    url: str
    claims: list[Claim]
    target: datetime | None
    limit: datetime | None


def find_archives(factory: sessionmaker[Session], base_url: str, fetch: Fetch) -> None:
    """Look up each flagged source in the archive: one short transaction to read, one per result."""
    with factory.begin() as session:
        tasks = archive_tasks(session)
    for task in tasks:
        result = find_archived_copy(
            task.url, task.claims, target=task.target, limit=task.limit, base_url=base_url, fetch=fetch
        )
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
    """Build the lookup of one flag: the article's date to aim at, and its ingest date as the latest capture."""
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
    return ArchiveTask(flag.id, source.url, list(claims), published or ingested, ingested)


def find_archived_copy(
    url: str,
    claims: Sequence[Claim],
    *,
    target: datetime | None,
    limit: datetime | None,
    base_url: str,
    fetch: Fetch,
) -> ArchiveResult:
    """Look up, fetch and check the capture of ``url`` closest to ``target`` (not after ``limit``); verify claims."""
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
    copy = FetchOutcome(url=copy_url, final_url=page.final_url, http_status=page.status, content_type=content_type,
                        document=document, redirect_chain=list(page.redirect_chain))  # fmt: skip
    status = copy_status(copy, page.body)
    if status.status not in HEALTHY:
        reason = f"archived copy is itself {status.status} ({status.evidence['rule']})"
        return ArchiveResult(url, copy_url, taken, False, reason)
    prepared = prepare_source(document.text)
    verdicts = [_verdict_row(claim, prepared) for claim in claims]
    return ArchiveResult(url, copy_url, taken, True, "archived copy has text", verdicts)


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
    """Return a claim's verdict on the archived copy, with its best passage."""
    verdict = claim_verdict(claim, prepared)
    passage = verdict.evidence[0].text if verdict.evidence else None
    return {"claim_id": claim.id, "verdict": verdict.verdict, "score": verdict.score, "passage": passage}


def archive_host(base_url: str) -> str:
    """Return the ``host[:port]`` of the archive, which fetches may reach even on a private address."""
    parts = urlsplit(base_url)
    return f"{parts.hostname}:{parts.port}" if parts.port else (parts.hostname or "")


def archive_fetcher(policy: AddressPolicy, user_agent: str, timeout: float = 20.0) -> Fetch:
    """Return a fetch function for the archive's lookups and copies under ``policy``."""
    return lambda url: fetch_url(url, policy=policy, timeout=timeout, user_agent=user_agent)
