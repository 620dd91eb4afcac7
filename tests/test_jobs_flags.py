"""Flags in the store, kept in step with each check: confirmed after N spaced checks, cleared by success."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from crawler import settings
from crawler.health.flags import Confirmation
from crawler.jobs.flags import record_check_for_flags
from store.engine import session_factory
from store.models import Flag
from tests.storedata import FAST, add_check, new_source

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
DEFAULTS = Confirmation.from_values(settings.CITETRACK_CONFIRM_CHECKS, settings.CITETRACK_CONFIRM_SPACING_DAYS)


def test_store_confirms_after_two_checks_and_clears_on_success(db_url):
    factory = session_factory(db_url)
    with factory.begin() as session:
        source = new_source(session, "https://example.org/gone")
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
        source = new_source(session, "https://example.org/flaky")
        record_check_for_flags(session, source, add_check(session, source, "dead", T0), FAST)
        flag = record_check_for_flags(session, source, add_check(session, source, "timeout", T0 + DAY, conclusive=False), FAST)
        assert (flag.status, flag.checks, flag.confirmed, flag.resolved_at) == ("dead", 1, False, None)
        assert flag.evidence["inconclusive_checks"] == 1


def test_healthy_check_without_a_flag_creates_none(db_url):
    factory = session_factory(db_url)
    with factory.begin() as session:
        source = new_source(session, "https://example.org/fine")
        assert record_check_for_flags(session, source, add_check(session, source, "ok", T0), DEFAULTS) is None
        assert session.scalars(select(Flag)).all() == []
