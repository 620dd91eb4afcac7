"""The due policy in the store: checks set each source's next check, ingest makes sources due at once, and the
due sources are read in keyset pages (next-check order), once, whatever their number."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from crawler.health.schedule import DuePolicy
from crawler.ingest import parse_article
from crawler.jobs.due import Selection, count_due_sources, stream_due_listing, stream_due_sources
from crawler.jobs.ingest import store_article
from crawler.jobs.schedule import record_checks_on_schedule
from store.crawl import CheckRecord
from store.engine import session_factory
from store.models import Flag, Source
from tests.crawling import add_sources

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
POLICY = DuePolicy.from_values(7, 3, {"weekly.test": 14})


def ids_by_url(db_url: str) -> dict[str, int]:
    with session_factory(db_url).begin() as session:
        return {url: source_id for url, source_id in session.execute(select(Source.url, Source.id))}


def next_checks(db_url: str) -> dict[str, datetime]:
    with session_factory(db_url).begin() as session:
        return {url: when for url, when in session.execute(select(Source.url, Source.next_check_at))}


def record(source_id: int, status: str, when: datetime = T0) -> CheckRecord:
    outcome = "fetched" if status == "ok" else "failed"
    return CheckRecord(source_id=source_id, checked_at=when, outcome=outcome, status=status, evidence={})


def test_each_check_sets_the_next_one_by_status_host_and_confirmed_flag(db_url: str) -> None:
    urls = ["https://a.test/ok", "https://a.test/dead", "https://a.test/confirmed", "https://weekly.test/ok"]
    add_sources(db_url, urls)
    ids = ids_by_url(db_url)
    with session_factory(db_url).begin() as session:
        session.add(Flag(source_id=ids[urls[2]], status="dead", first_seen=T0, last_seen=T0, confirmed=True))
    with session_factory(db_url).begin() as session:
        record_checks_on_schedule(
            session, [record(ids[urls[0]], "ok"), record(ids[urls[1]], "dead"), record(ids[urls[2]], "dead"),
                      record(ids[urls[3]], "ok")], POLICY,
        )  # fmt: skip
    assert next_checks(db_url) == {
        urls[0]: T0 + timedelta(days=7), urls[1]: T0 + timedelta(days=3), urls[2]: T0 + timedelta(days=7),
        urls[3]: T0 + timedelta(days=14),
    }  # fmt: skip


def test_new_sources_are_due_at_once_and_a_new_article_makes_its_checked_sources_due(db_url: str) -> None:
    add_sources(db_url, ["https://a.test/report", "https://b.test/other"])
    ids = ids_by_url(db_url)
    assert count_due_sources(db_url, Selection(due_at=datetime.now(UTC))) == 2
    with session_factory(db_url).begin() as session:
        record_checks_on_schedule(session, [record(ids["https://a.test/report"], "ok", datetime.now(UTC))], POLICY)
        record_checks_on_schedule(session, [record(ids["https://b.test/other"], "ok", datetime.now(UTC))], POLICY)
    assert count_due_sources(db_url, Selection(due_at=datetime.now(UTC))) == 0
    with session_factory(db_url).begin() as session:
        store_article(session, parse_article(b"A claim.[1]\n\nSources\n\n1. A. https://a.test/report\n"), "test:a")
    due = [source.url for source in stream_due_sources(db_url, Selection(due_at=datetime.now(UTC)), 10)]
    assert due == ["https://a.test/report"]


def test_due_sources_stream_in_next_check_order_across_pages_without_repeats(db_url: str) -> None:
    urls = [f"https://host{n % 3}.test/page/{n}" for n in range(23)]
    add_sources(db_url, urls)
    with session_factory(db_url).begin() as session:
        # Ties on next_check_at (every third source) are ordered by id: the keyset is (next_check_at, id).
        for n, url in enumerate(urls):
            when = T0 - timedelta(hours=n // 3) if n % 2 else T0 + timedelta(days=1)
            session.execute(update(Source).where(Source.url == url).values(next_check_at=when))
    ids = ids_by_url(db_url)
    expected = sorted(
        (url for n, url in enumerate(urls) if n % 2), key=lambda url: (T0 - timedelta(hours=urls.index(url) // 3), ids[url])
    )
    selection = Selection(due_at=T0)
    assert count_due_sources(db_url, selection) == len(expected) == 11
    assert [source.url for source in stream_due_sources(db_url, selection, 4)] == expected
    listed = list(stream_due_listing(db_url, T0, 4, limit=5))
    assert [entry.url for entry in listed] == expected[:5] and listed[0].status == "pending"


def test_the_stream_reads_one_page_at_a_time(db_url: str) -> None:
    add_sources(db_url, [f"https://a.test/{n}" for n in range(10)])
    stream = stream_due_sources(db_url, Selection(due_at=datetime.now(UTC)), 4)
    first = next(stream)
    # Sources made due after the stream started are not in it: the selection is the one taken at the start.
    add_sources(db_url, ["https://a.test/late"])
    rest = [source.url for source in stream]
    assert first.url == "https://a.test/0" and len(rest) == 9 and "https://a.test/late" not in rest
