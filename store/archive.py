"""Archive fallback in the store: which flagged sources need an archived copy, and recording what was found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler.enums import HealthStatus
from crawler.health.archive import ArchiveResult, CitingClaim
from store.health import ARCHIVE_KEY
from store.models import Article, Citation, Claim, Flag, Reference, Source

# Problems an archived copy can stand in for (a paywall or a bot wall still has the page online).
ARCHIVE_STATUSES = (HealthStatus.DEAD, HealthStatus.SOFT_404, HealthStatus.DRIFTED)


@dataclass(frozen=True)
class ArchiveTask:
    """One flagged source to look up: its claims, the date to look near, and the latest acceptable capture."""

    flag_id: int
    url: str
    claims: list[CitingClaim]
    target: datetime | None
    limit: datetime | None


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
    citing_claims = [CitingClaim(c.id, c.text, tuple(q["text"] for q in c.quotes)) for c in claims]
    return ArchiveTask(flag.id, source.url, citing_claims, published or ingested, ingested)
