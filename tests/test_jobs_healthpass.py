"""The health pass after a crawl: idempotent, site-wide landing pages, drift flags kept; streaks found set-based."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from crawler.jobs.broken import broken_sources
from crawler.jobs.healthpass import health_after_crawl, reclassify_shared_landings, sources_without_streak
from store.engine import session_factory
from store.models import Check, Flag, Source
from tests.storedata import FAST, T0, check, cited_source, new_article


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


def test_health_pass_is_idempotent(db_url):
    with session_factory(db_url).begin() as session:
        source = cited_source(session, "https://a.example/gone", 1, new_article(session))
        check(session, source, "dead", T0)
        check(session, source, "dead", T0 + timedelta(days=1))
        first = health_after_crawl(session, T0, FAST)
        again = health_after_crawl(session, T0, FAST)
        assert first["confirmed"] == again["confirmed"] == 2
        [row] = broken_sources(session)
        assert (row["checks"], row["confirmed"]) == (2, True)


def test_first_urls_reaching_a_shared_landing_page_become_soft_404(db_url):
    with session_factory(db_url).begin() as session:
        article = new_article(session)
        landing = "https://b.example/all-stories"
        sources = [cited_source(session, f"https://b.example/story/{n}", n, article) for n in (1, 2, 3)]
        moved = cited_source(session, "https://b.example/old", 4, article)
        for source in sources:
            check(session, source, "redirected", T0, final_url=landing)
        check(session, moved, "redirected", T0, final_url="https://b.example/new")
        assert reclassify_shared_landings(session, T0) == 3
        assert [s.status for s in sources] == ["soft_404"] * 3
        assert moved.status == "redirected"
        stored = session.get(Check, 1)
        assert (stored.evidence["rule"], stored.evidence["shared_by"]) == ("shared_redirect", 3)


def test_a_successful_check_does_not_clear_a_drift_flag(db_url):
    with session_factory(db_url).begin() as session:
        source = cited_source(session, "https://d.example/changed", 1, new_article(session))
        drift = Flag(source_id=source.id, status="drifted", first_seen=T0, last_seen=T0, confirmed=True)
        session.add(drift)
        check(session, source, "ok", T0 + timedelta(days=1), http_status=200)
        health_after_crawl(session, T0, FAST)
        assert drift.resolved_at is None
        assert [row["status"] for row in broken_sources(session)] == ["drifted"]
        assert source.status == "drifted", "sources list shows the drift while the page itself answers ok"
