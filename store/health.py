"""Flags in the store: kept in step with each check, resolved by success or by an editor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.enums import HEALTHY, HealthStatus
from crawler.health.flags import Confirmation, Observation, Streak, current_streak
from crawler.urls import canonicalize_url
from store.base import utcnow
from store.models import Check, Flag, Reference, Source
from store.queries import get_or_create_source

# Key of a flag's evidence under which the archive fallback's findings are kept.
ARCHIVE_KEY = "archive"


def open_flag(session: Session, source_id: int, *, drift: bool = False) -> Flag | None:
    """Return the source's unresolved availability flag (or drift flag when ``drift``)."""
    kind = Flag.status == HealthStatus.DRIFTED if drift else Flag.status != HealthStatus.DRIFTED
    return session.scalars(
        select(Flag).where(Flag.source_id == source_id, Flag.resolved_at.is_(None), kind).order_by(Flag.id.desc())
    ).first()


def record_check_for_flags(
    session: Session,
    source: Source,
    check: Check,
    confirmation: Confirmation,
) -> Flag | None:
    """Bring the source's availability flag in step with its checks, ``check`` being the newest; return the flag."""
    session.flush()
    flag = open_flag(session, source.id)
    streak = current_streak(_observations(session, source.id), confirmation)
    if streak is None:
        if flag is not None and check.status in HEALTHY:
            _resolve(flag, check.checked_at, f"cleared: the source answered {check.status} (HTTP {check.http_status})")
        return flag
    if flag is None:
        flag = Flag(source_id=source.id, status=streak.status, first_seen=streak.first_seen, last_seen=streak.last_seen)
        session.add(flag)
    _update(session, flag, streak)
    session.flush()
    return flag


def resolve_source(session: Session, source: Source, *, replacement_url: str | None, note: str | None) -> list[Flag]:
    """Record an editor's fix and resolve the source's open flags.

    A replacement URL becomes a source of its own and the references citing the old source point to it, so the
    next crawl fetches it (it was never checked) and the next verify checks every claim against it.
    """
    if replacement_url is not None:
        source.replacement_url = canonicalize_url(replacement_url)
        replacement = get_or_create_source(session, replacement_url)
        if replacement.id != source.id:
            for reference in session.scalars(select(Reference).where(Reference.source_id == source.id)):
                reference.source_id = replacement.id
    if note is not None:
        source.editor_note = note
    resolution = f"replaced by {source.replacement_url}" if replacement_url else f"editor note: {note}"
    flags = list(session.scalars(select(Flag).where(Flag.source_id == source.id, Flag.resolved_at.is_(None))))
    now = utcnow()
    for flag in flags:
        _resolve(flag, now, resolution)
    if source.status == HealthStatus.DRIFTED:
        latest = session.scalars(
            select(Check.status).where(Check.source_id == source.id).order_by(Check.checked_at.desc()).limit(1)
        ).first()
        source.status = latest or source.status
    session.flush()
    return flags


def _observations(session: Session, source_id: int) -> list[Observation]:
    """Return the source's checks since its last resolved flag, oldest first, as the confirmation rules see them."""
    since = session.scalar(
        select(Flag.resolved_at)
        .where(Flag.source_id == source_id, Flag.status != HealthStatus.DRIFTED, Flag.resolved_at.is_not(None))
        .order_by(Flag.resolved_at.desc())
        .limit(1)
    )
    query = select(Check).where(Check.source_id == source_id).order_by(Check.checked_at, Check.id)
    if since is not None:
        query = query.where(Check.checked_at > since)
    return [
        Observation(check.checked_at, check.status, bool((check.evidence or {}).get("conclusive", True)), check.id)
        for check in session.scalars(query)
    ]


def _update(session: Session, flag: Flag, streak: Streak) -> None:
    """Copy the streak onto the flag, with the evidence of its latest problem check."""
    latest = session.get(Check, streak.last_check_id) if streak.last_check_id is not None else None
    flag.status = streak.status
    flag.first_seen = streak.first_seen
    flag.last_seen = streak.last_seen
    flag.checks = streak.counted
    flag.confirmed = streak.confirmed
    flag.confirmed_at = streak.confirmed_at
    evidence = dict(latest.evidence or {}) if latest is not None else {}
    evidence.update({"check_id": streak.last_check_id, "inconclusive_checks": streak.inconclusive})
    flag.evidence = keep_archive(flag.evidence, evidence)


def keep_archive(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Return ``new`` evidence carrying over the archive lookup recorded in ``old``."""
    if old and ARCHIVE_KEY in old:
        return {**new, ARCHIVE_KEY: old[ARCHIVE_KEY]}
    return new


def _resolve(flag: Flag, when: datetime, resolution: str) -> None:
    flag.resolved_at = when
    flag.resolution = resolution
