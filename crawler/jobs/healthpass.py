"""The health pass after a crawl: site-wide redirect targets, flags over checks, and drift on new snapshots."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crawler.enums import HEALTHY, HealthStatus
from crawler.health.flags import Confirmation, Observation, current_streak
from crawler.health.soft404 import SharedRedirects
from crawler.jobs.drift import detect_drift_since
from crawler.jobs.flags import record_check_for_flags
from store.base import in_lists
from store.models import Check, Flag, Source


def run_health_pass(factory: sessionmaker[Session], since: datetime, confirmation: Confirmation) -> dict[str, int]:
    """Run ``health_after_crawl`` in one transaction; return its counts."""
    with factory.begin() as session:
        return dict(health_after_crawl(session, since, confirmation))


def health_after_crawl(session: Session, since: datetime, confirmation: Confirmation) -> Counter[str]:
    """Finish the health of every check made at or after ``since``; return counts of what changed.

    Safe to run more than once: flags are recomputed from the checks, drift from the stored verifications.
    """
    counts: Counter[str] = Counter()
    counts["shared_redirect"] = reclassify_shared_landings(session, since)
    checks = session.execute(
        select(Check, Source).join(Source, Source.id == Check.source_id).where(Check.checked_at >= since)
        .order_by(Check.checked_at, Check.id)
    ).all()  # fmt: skip
    settled = sources_without_streak(session, {source.id for _, source in checks}, confirmation)
    for check, source in checks:
        if source.id in settled:
            continue
        flag = record_check_for_flags(session, source, check, confirmation)
        if flag is not None and flag.resolved_at is None:
            counts["confirmed" if flag.confirmed else "unconfirmed"] += 1
    counts["drifted"] = len(detect_drift_since(session, since))
    mark_drifted_sources(session)
    return counts


def sources_without_streak(session: Session, source_ids: set[int], confirmation: Confirmation) -> set[int]:
    """Return the sources with no open availability flag and no problem streak, in a few set-based queries.

    ``record_check_for_flags`` changes nothing for them, so the pass skips its per-check queries (most sources).
    """
    session.flush()
    ids = sorted(source_ids)
    flagged: set[int] = set()
    resolved: dict[int, datetime] = {}
    observations: dict[int, list[Observation]] = defaultdict(list)
    for chunk in in_lists(ids):
        flags = select(Flag.source_id, Flag.resolved_at).where(
            Flag.source_id.in_(chunk), Flag.status != HealthStatus.DRIFTED
        )
        for source_id, resolved_at in session.execute(flags):
            if resolved_at is None:
                flagged.add(source_id)
            elif source_id not in resolved or resolved_at > resolved[source_id]:
                resolved[source_id] = resolved_at
        rows = session.execute(
            select(Check.source_id, Check.id, Check.checked_at, Check.status, Check.evidence)
            .where(Check.source_id.in_(chunk)).order_by(Check.checked_at, Check.id)
        )  # fmt: skip
        for source_id, check_id, checked_at, status, evidence in rows:
            if source_id not in resolved or checked_at > resolved[source_id]:
                conclusive = bool((evidence or {}).get("conclusive", True))
                observations[source_id].append(Observation(checked_at, status, conclusive, check_id))
    return {
        source_id
        for source_id in ids
        if source_id not in flagged and current_streak(observations[source_id], confirmation) is None
    }


def mark_drifted_sources(session: Session) -> int:
    """Show ``drifted`` as the status of reachable sources with an open drift flag; return how many changed."""
    drifting = select(Flag.source_id).where(Flag.status == HealthStatus.DRIFTED, Flag.resolved_at.is_(None))
    sources = session.scalars(select(Source).where(Source.id.in_(drifting), Source.status.in_(HEALTHY))).all()
    for source in sources:
        source.status = HealthStatus.DRIFTED
    session.flush()
    return len(sources)


def reclassify_shared_landings(session: Session, since: datetime) -> int:
    """Mark as soft 404 the healthy checks whose final URL several cited URLs of the run were redirected to.

    During the crawl only the third and later URLs reaching such a page can be seen as soft 404s; this pass
    catches the first ones too. Returns how many checks changed.
    """
    rows = session.execute(
        select(Check, Source).join(Source, Source.id == Check.source_id)
        .where(Check.checked_at >= since, Check.status.in_(HEALTHY), Check.final_url.is_not(None))
    ).all()  # fmt: skip
    tracker = SharedRedirects()
    for check, source in rows:
        tracker.add(source.url, check.final_url)
    shared = tracker.shared_landings()
    changed = 0
    for check, source in rows:
        cited_by = shared.get(check.final_url or "")
        if cited_by is None or source.url not in cited_by:
            continue
        evidence = {**(check.evidence or {}), "rule": "shared_redirect", "shared_by": len(cited_by), "conclusive": True}
        check.status, check.evidence = HealthStatus.SOFT_404, evidence
        if source.status_at is None or source.status_at <= check.checked_at:
            source.status = HealthStatus.SOFT_404
        changed += 1
    session.flush()
    return changed
