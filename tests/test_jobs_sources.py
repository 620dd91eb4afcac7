"""Editors' fixes: a replacement URL or a note closes a source's flags; later checks start a new streak."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crawler.jobs.broken import broken_sources
from crawler.jobs.flags import record_check_for_flags
from crawler.jobs.healthpass import health_after_crawl
from crawler.jobs.sources import resolve_source
from store.engine import session_factory
from store.models import Flag
from tests.storedata import FAST, T0, add_check, check, cited_source, new_article, new_source

DAY = timedelta(days=1)


def test_editor_resolution_closes_flags_and_later_checks_start_over(db_url):
    factory = session_factory(db_url)
    with factory.begin() as session:
        source = new_source(session, "https://example.org/moved-away")
        now = datetime.now(UTC)
        record_check_for_flags(session, source, add_check(session, source, "dead", now - 2 * DAY), FAST)
        record_check_for_flags(session, source, add_check(session, source, "dead", now - DAY), FAST)
        resolved = resolve_source(session, source, replacement_url="https://example.org/new-home", note=None)
        assert [f.resolution for f in resolved] == ["replaced by https://example.org/new-home"]
        assert source.replacement_url == "https://example.org/new-home"
        again = record_check_for_flags(session, source, add_check(session, source, "dead", now + DAY), FAST)
        assert again.id != resolved[0].id
        assert (again.checks, again.confirmed) == (1, False)


def test_editor_note_on_a_drifted_source_restores_its_checked_status(db_url):
    with session_factory(db_url).begin() as session:
        source = cited_source(session, "https://d.example/edited", 1, new_article(session))
        check(session, source, "ok", T0, http_status=200)
        session.add(Flag(source_id=source.id, status="drifted", first_seen=T0, last_seen=T0, confirmed=True))
        health_after_crawl(session, T0, FAST)
        assert source.status == "drifted"
        [flag] = resolve_source(session, source, replacement_url=None, note="the outlet corrected the figure")
        assert (flag.resolution, source.status, source.editor_note) == (
            "editor note: the outlet corrected the figure", "ok", "the outlet corrected the figure",
        )
        assert broken_sources(session) == []
