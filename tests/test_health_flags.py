"""Confirmation over checks: N consecutive spaced checks confirm, success clears, inconclusive does neither."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from crawler import settings
from crawler.health.flags import Confirmation, Observation, current_streak
from store.engine import session_factory
from store.health import record_check_for_flags, resolve_source
from store.models import Check, Flag, Source

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
DEFAULTS = Confirmation.from_values(settings.CITETRACK_CONFIRM_CHECKS, settings.CITETRACK_CONFIRM_SPACING_DAYS)
FAST = Confirmation(2, timedelta(0))


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


def add_check(session, source, status, when, *, conclusive=True, http_status=None):
    check = Check(
        source_id=source.id, checked_at=when, outcome="failed" if status != "ok" else "fetched", status=status,
        http_status=http_status, final_url=source.url, evidence={"rule": f"rule-{status}", "conclusive": conclusive},
    )  # fmt: skip
    session.add(check)
    session.flush()
    return check


def test_store_confirms_after_two_checks_and_clears_on_success(db_url):
    factory = session_factory(db_url)
    with factory.begin() as session:
        source = Source(url="https://example.org/gone")
        session.add(source)
        session.flush()
        first = record_check_for_flags(session, source, add_check(session, source, "dead", T0, http_status=404), FAST)
        assert (first.confirmed, first.checks, first.evidence["rule"]) == (False, 1, "rule-dead")
        second = record_check_for_flags(session, source, add_check(session, source, "dead", T0 + DAY, http_status=404), FAST)
        assert second.id == first.id
        assert (second.confirmed, second.checks, second.first_seen, second.last_seen) == (True, 2, T0, T0 + DAY)
        cleared = record_check_for_flags(session, source, add_check(session, source, "ok", T0 + 2 * DAY, http_status=200), FAST)
        assert cleared.resolved_at == T0 + 2 * DAY
        assert "answered ok" in cleared.resolution
    with factory.begin() as session:
        flags = session.scalars(select(Flag)).all()
        assert [(f.status, f.confirmed, f.resolved_at is not None) for f in flags] == [("dead", True, True)]


def test_store_keeps_a_problem_open_through_an_inconclusive_check(db_url):
    factory = session_factory(db_url)
    with factory.begin() as session:
        source = Source(url="https://example.org/flaky")
        session.add(source)
        session.flush()
        record_check_for_flags(session, source, add_check(session, source, "dead", T0), FAST)
        flag = record_check_for_flags(session, source, add_check(session, source, "timeout", T0 + DAY, conclusive=False), FAST)
        assert (flag.status, flag.checks, flag.confirmed, flag.resolved_at) == ("dead", 1, False, None)
        assert flag.evidence["inconclusive_checks"] == 1


def test_healthy_check_without_a_flag_creates_none(db_url):
    factory = session_factory(db_url)
    with factory.begin() as session:
        source = Source(url="https://example.org/fine")
        session.add(source)
        session.flush()
        assert record_check_for_flags(session, source, add_check(session, source, "ok", T0), DEFAULTS) is None
        assert session.scalars(select(Flag)).all() == []


def test_editor_resolution_closes_flags_and_later_checks_start_over(db_url):
    factory = session_factory(db_url)
    with factory.begin() as session:
        source = Source(url="https://example.org/moved-away")
        session.add(source)
        session.flush()
        now = datetime.now(UTC)
        record_check_for_flags(session, source, add_check(session, source, "dead", now - 2 * DAY), FAST)
        record_check_for_flags(session, source, add_check(session, source, "dead", now - DAY), FAST)
        resolved = resolve_source(session, source, replacement_url="https://example.org/new-home", note=None)
        assert [f.resolution for f in resolved] == ["replaced by https://example.org/new-home"]
        assert source.replacement_url == "https://example.org/new-home"
        again = record_check_for_flags(session, source, add_check(session, source, "dead", now + DAY), FAST)
        assert again.id != resolved[0].id
        assert (again.checks, again.confirmed) == (1, False)
