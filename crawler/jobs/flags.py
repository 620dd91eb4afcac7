"""Flags: kept in step with each check by the confirmation rules, resolved by success or by an editor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.enums import HEALTHY, HealthStatus
from crawler.health.flags import Confirmation, Observation, Streak, current_streak
from store.models import Check, Flag, Source

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
            resolve_flag(flag, check.checked_at, f"cleared: the source answered {check.status} (HTTP {check.http_status})")
        return flag
    if flag is None:
        flag = Flag(source_id=source.id, status=streak.status, first_seen=streak.first_seen, last_seen=streak.last_seen)
        session.add(flag)
    _update(session, flag, streak)
    session.flush()
    return flag


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


def resolve_flag(flag: Flag, when: datetime, resolution: str) -> None:
    """Close a flag: when, and why (a healthy check, support restored, an editor's fix)."""
    flag.resolved_at = when
    flag.resolution = resolution
