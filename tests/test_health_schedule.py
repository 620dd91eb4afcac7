"""The due policy: healthy sources every N days (per-host overrides), open problems on the confirmation spacing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler import settings
from crawler.health.schedule import DuePolicy

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
POLICY = DuePolicy.from_values(7, 3, {"example.org": 1, "slow.example.org": 30})


def test_the_defaults_recheck_healthy_sources_weekly_and_problems_after_the_confirmation_spacing() -> None:
    policy = DuePolicy.from_values(
        settings.CITETRACK_RECHECK_DAYS, settings.CITETRACK_CONFIRM_SPACING_DAYS, settings.CITETRACK_RECHECK_DAYS_BY_HOST
    )
    assert policy.next_check("https://news.test/a", T0, "ok") == T0 + timedelta(days=7)
    assert policy.next_check("https://news.test/a", T0, "dead") == T0 + timedelta(days=3)


@pytest.mark.parametrize(
    ("status", "confirmed", "days"),
    [("ok", False, 7), ("redirected", False, 7), ("drifted", False, 7), ("dead", False, 3), ("timeout", False, 3),
     ("soft_404", True, 7)],
)  # fmt: skip
def test_next_check_follows_the_status_and_confirmation(status: str, confirmed: bool, days: int) -> None:
    assert POLICY.next_check("https://news.test/a", T0, status, confirmed=confirmed) == T0 + timedelta(days=days)


@pytest.mark.parametrize(
    ("url", "days"),
    [("https://example.org/a", 1), ("https://www.Example.org/a", 1), ("https://slow.example.org/b", 30),
     ("https://notexample.org/a", 7), ("https://example.org.evil.test/a", 7)],
)  # fmt: skip
def test_a_host_override_covers_the_host_and_its_subdomains_the_longest_key_winning(url: str, days: int) -> None:
    assert POLICY.recheck_for(url) == timedelta(days=days)
    assert POLICY.next_check(url, T0, "ok") == T0 + timedelta(days=days)
    assert POLICY.next_check(url, T0, "dead") == T0 + timedelta(days=3), "problems keep the confirmation spacing"


@pytest.mark.parametrize(
    ("recheck", "spacing", "by_host"),
    [(0, 3, {}), (7, -1, {}), (7, 3, {"a.test": 0}), (7, 3, {"a.test": "often"}), (7, 3, {"a.test": True})],
)
def test_an_interval_that_is_not_a_positive_number_of_days_is_refused(recheck: float, spacing: float, by_host: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError):
        DuePolicy.from_values(recheck, spacing, by_host)
