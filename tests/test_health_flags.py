"""Confirmation over checks: N consecutive spaced checks confirm, success clears, inconclusive does neither."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler import settings
from crawler.health.flags import Confirmation, Observation, current_streak

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
DEFAULTS = Confirmation.from_values(settings.CITETRACK_CONFIRM_CHECKS, settings.CITETRACK_CONFIRM_SPACING_DAYS)


def seen(day: float, status: str, conclusive: bool = True) -> Observation:
    return Observation(T0 + day * DAY, status, conclusive)


def test_defaults_are_three_checks_three_days_apart():
    assert (DEFAULTS.required_checks, DEFAULTS.min_spacing) == (3, timedelta(days=3))


def test_confirmation_from_setting_values():
    assert Confirmation.from_values(4, 1) == Confirmation(4, timedelta(days=1))


def test_confirmation_rejects_nonsense():
    with pytest.raises(ValueError, match="at least 1 check"):
        Confirmation.from_values(0, 3)


def test_three_spaced_dead_checks_confirm_on_the_third():
    streak = current_streak([seen(0, "dead"), seen(3, "dead"), seen(6, "dead")], DEFAULTS)
    assert streak is not None and streak.confirmed
    assert (streak.counted, streak.first_seen, streak.confirmed_at) == (3, T0, T0 + 6 * DAY)


def test_checks_closer_than_the_spacing_do_not_count():
    streak = current_streak([seen(0, "dead"), seen(1, "dead"), seen(2, "dead"), seen(3, "dead")], DEFAULTS)
    assert (streak.counted, streak.confirmed, streak.last_seen) == (2, False, T0 + 3 * DAY)


def test_success_clears_the_streak():
    assert current_streak([seen(0, "dead"), seen(3, "dead"), seen(6, "ok")], DEFAULTS) is None


def test_a_new_problem_after_success_starts_over():
    streak = current_streak([seen(0, "dead"), seen(3, "dead"), seen(6, "ok"), seen(9, "soft_404")], DEFAULTS)
    assert (streak.status, streak.counted, streak.first_seen) == ("soft_404", 1, T0 + 9 * DAY)


def test_one_inconclusive_check_neither_confirms_nor_clears():
    observations = [seen(0, "dead"), seen(3, "dead"), seen(6, "timeout", conclusive=False)]
    streak = current_streak(observations, DEFAULTS)
    assert (streak.status, streak.counted, streak.confirmed, streak.inconclusive) == ("dead", 2, False, 1)
    assert current_streak([*observations, seen(9, "dead")], DEFAULTS).confirmed


def test_inconclusive_success_does_not_clear():
    streak = current_streak([seen(0, "dead"), seen(3, "ok", conclusive=False)], DEFAULTS)
    assert streak is not None and streak.counted == 1


def test_the_same_inconclusive_failure_repeated_counts():
    observations = [seen(day, "timeout", conclusive=False) for day in (0, 3, 6, 9)]
    streak = current_streak(observations, DEFAULTS)
    assert (streak.counted, streak.inconclusive, streak.confirmed_at) == (3, 1, T0 + 9 * DAY)


def test_a_single_inconclusive_failure_opens_an_unconfirmed_problem():
    streak = current_streak([seen(0, "timeout", conclusive=False)], DEFAULTS)
    assert (streak.status, streak.counted, streak.confirmed) == ("timeout", 0, False)
