"""The post-crawl pass skips, in set-based queries, exactly the sources whose flags the per-check path leaves alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from crawler.health.flags import Confirmation
from store.engine import session_factory
from store.healthpass import health_after_crawl, sources_without_streak
from store.models import Check, Flag, Source

T0 = datetime(2026, 3, 1, tzinfo=UTC)
FAST = Confirmation(2, timedelta(0))


def _source(session, url: str, statuses: list[str], *, conclusive: bool = True) -> Source:
    source = Source(url=url, status=statuses[-1])
    session.add(source)
    session.flush()
    for day, status in enumerate(statuses):
        evidence = {"rule": f"rule-{status}", "conclusive": conclusive}
        session.add(Check(source_id=source.id, checked_at=T0 + timedelta(days=day), outcome="fetched",
                          status=status, evidence=evidence))  # fmt: skip
    session.flush()
    return source


def test_only_sources_with_no_open_flag_and_no_problem_streak_are_skipped(db_url):
    with session_factory(db_url).begin() as session:
        healthy = _source(session, "https://a.example/healthy", ["ok", "ok"])
        recovered = _source(session, "https://a.example/recovered", ["dead", "ok"])
        failing = _source(session, "https://a.example/failing", ["ok", "dead"])
        inconclusive = _source(session, "https://a.example/flaky", ["dead", "timeout"], conclusive=False)
        flagged = _source(session, "https://a.example/flagged", ["ok"])
        session.add(Flag(source_id=flagged.id, status="dead", first_seen=T0, last_seen=T0))
        ids = {healthy.id, recovered.id, failing.id, inconclusive.id, flagged.id}
        assert sources_without_streak(session, ids, FAST) == {healthy.id, recovered.id}


def test_checks_before_an_editors_resolution_do_not_count(db_url):
    with session_factory(db_url).begin() as session:
        source = _source(session, "https://a.example/fixed", ["dead", "dead"])
        session.add(Flag(source_id=source.id, status="dead", first_seen=T0, last_seen=T0 + timedelta(days=1),
                         resolved_at=T0 + timedelta(days=1, hours=12), resolution="editor note: fine"))  # fmt: skip
        assert sources_without_streak(session, {source.id}, FAST) == {source.id}


def test_a_flag_resolved_before_the_checks_does_not_hide_a_new_streak(db_url):
    with session_factory(db_url).begin() as session:
        source = _source(session, "https://a.example/again", ["dead", "dead", "ok", "dead", "dead"])
        session.add(Flag(source_id=source.id, status="dead", first_seen=T0, last_seen=T0 + timedelta(days=1),
                         resolved_at=T0 + timedelta(days=2)))  # fmt: skip
        assert sources_without_streak(session, {source.id}, FAST) == set()
        counts = health_after_crawl(session, T0 + timedelta(days=3), FAST)
        flags = session.scalars(select(Flag).where(Flag.source_id == source.id, Flag.resolved_at.is_(None))).all()
        assert counts["confirmed"] == 2 and [(flag.status, flag.confirmed) for flag in flags] == [("dead", True)]
