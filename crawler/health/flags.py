"""Confirmation over checks: a problem is confirmed after N consecutive checks spaced at least T apart.

Rules (the Internet Archive's link-rescue bot works the same way, with N=3 and T=3 days):
- a conclusive healthy check (``ok``, ``redirected``) clears the problem;
- an inconclusive check (one timeout, a DNS hiccup, a 5xx, a 304) neither confirms nor clears, but the same
  inconclusive failure seen twice in a row counts: a source that times out every time is a finding;
- a problem check counts toward N only when at least T after the last counted one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from crawler.enums import HEALTHY


@dataclass(frozen=True)
class Confirmation:
    """How many consecutive problem checks confirm a flag, and how far apart they must be.

    The values come from ``CITETRACK_CONFIRM_CHECKS`` and ``CITETRACK_CONFIRM_SPACING_DAYS`` (3 and 3 days).
    """

    required_checks: int
    min_spacing: timedelta

    @classmethod
    def from_values(cls, required: int, spacing: float) -> Confirmation:
        """Build from setting values: ``required`` checks at least ``spacing`` days apart; refuse impossible ones."""
        if required < 1 or spacing < 0:
            raise ValueError(f"confirmation needs at least 1 check and a spacing >= 0 (got {required}, {spacing})")
        return cls(required, timedelta(days=spacing))


@dataclass(frozen=True)
class Observation:
    """One check as the confirmation rules see it."""

    checked_at: datetime
    status: str
    conclusive: bool
    check_id: int | None = None


@dataclass(frozen=True)
class Streak:
    """An open problem: its latest status, when it was first and last seen, and how many checks confirm it."""

    status: str
    first_seen: datetime
    last_seen: datetime
    counted: int
    inconclusive: int
    confirmed_at: datetime | None
    last_check_id: int | None

    @property
    def confirmed(self) -> bool:
        """Whether enough spaced checks have seen the problem."""
        return self.confirmed_at is not None


def current_streak(observations: Iterable[Observation], confirmation: Confirmation) -> Streak | None:
    """Return the open problem after these chronological checks, or None when the last conclusive one was healthy."""
    streak: Streak | None = None
    last_counted: datetime | None = None
    previous: Observation | None = None
    for seen in observations:
        conclusive = seen.conclusive or (previous is not None and previous.status == seen.status)
        previous = seen
        if seen.status in HEALTHY:
            if conclusive:
                streak, last_counted = None, None
            continue
        if streak is None:
            streak = Streak(seen.status, seen.checked_at, seen.checked_at, 0, 0, None, seen.check_id)
        counts = conclusive and (last_counted is None or seen.checked_at - last_counted >= confirmation.min_spacing)
        if counts:
            last_counted = seen.checked_at
        streak = _advance(streak, seen, conclusive=conclusive, counts=counts, required=confirmation.required_checks)
    return streak


def _advance(streak: Streak, seen: Observation, *, conclusive: bool, counts: bool, required: int) -> Streak:
    """Return the streak after one more problem check."""
    counted = streak.counted + counts
    confirmed_at = streak.confirmed_at or (seen.checked_at if counted >= required else None)
    return Streak(
        status=seen.status if conclusive or streak.counted == 0 else streak.status,
        first_seen=streak.first_seen,
        last_seen=seen.checked_at,
        counted=counted,
        inconclusive=streak.inconclusive + (not conclusive),
        confirmed_at=confirmed_at,
        last_check_id=seen.check_id,
    )
