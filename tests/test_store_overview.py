"""The overview's aggregate queries on SQLite and PostgreSQL: counts equal the report's, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from crawler.jobs.overview import article_overview, source_overview, store_stats
from crawler.jobs.report import build_report
from store.engine import session_factory
from store.errors import NotFound
from store.models import Article, Citation, Claim, Flag, Reference, Source, Verification
from store.overview import ArticleFilter, list_articles
from tests.reportdata import NTIA_ARCHIVE, T0, add_contradiction, populate

EVERY = ArticleFilter()


@contextmanager
def counted(session: Session) -> Iterator[list[str]]:
    """Collect the SQL statements the session's engine runs inside the block."""
    statements: list[str] = []
    engine = session.get_bind()

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def add_articles(db_url: str, count: int, *, publisher: str = "Daily Bugle", flagged: bool = False) -> list[int]:
    """Add ``count`` articles, each with two claims citing one source (one supported, one never verified)."""
    ids = []
    with session_factory(db_url).begin() as session:
        for n in range(count):
            source = Source(url=f"https://bugle.example/{publisher}/{n}", status="dead" if flagged else "ok")
            reference = Reference(number=1, url=source.url, raw_text="1", source=source)
            article = Article(origin=f"/tmp/{publisher}-{n}", content_hash=f"{n}{publisher}", title=f"{publisher} {n}",
                              publisher=publisher, published_at=T0 + timedelta(days=n), text="x",
                              references=[reference])  # fmt: skip
            for index in (1, 2):
                claim = Claim(index=index, text=f"claim {index}", start=0, end=7, quotes=[])
                claim.citations = [Citation(number=1, reference=reference)]
                article.claims.append(claim)
            session.add(article)
            session.flush()
            session.add(Verification(claim_id=article.claims[0].id, reference_id=reference.id, verdict="supported",
                                     verified_at=T0))  # fmt: skip
            if flagged:
                session.add(Flag(source_id=source.id, status="dead", first_seen=T0, last_seen=T0, confirmed=n % 2 == 0))
            ids.append(article.id)
    return ids


def test_article_counts_equal_the_report_summary_of_each_article(db_url: str) -> None:
    data = populate(db_url)
    add_contradiction(db_url, data)
    with session_factory(db_url)() as session:
        rows = {row["id"]: row for row in article_overview(session, 0, 10, EVERY).items}
        report = build_report(session, data.article_id)["summary"]
    hostile = rows[data.article_id]
    assert hostile["verdicts"] == report["verdicts"] == {
        "supported": 2, "partial": 1, "not_found": 1, "contradicted": 1, "unavailable": 3
    }  # fmt: skip
    assert (hostile["checks"], hostile["needs_attention"], hostile["claims"]) == (8, 5, 5)
    assert hostile["problem_sources"] == {"confirmed": 1, "unconfirmed": 0}
    assert rows[data.other_article_id]["checks"] == 0
    assert rows[data.other_article_id]["problem_sources"] == {"confirmed": 0, "unconfirmed": 0}


def test_the_latest_verdict_of_a_citation_counts_not_an_older_one(db_url: str) -> None:
    data = populate(db_url)
    with session_factory(db_url)() as session:
        [row] = [r for r in article_overview(session, 0, 10, EVERY).items if r["id"] == data.article_id]
    # claim 3 against [1]: supported on an older snapshot, partial on the newer one; only partial counts
    assert (row["verdicts"]["supported"], row["verdicts"]["partial"]) == (2, 1)


def test_most_problems_first_puts_confirmed_problems_before_unconfirmed_then_newest(db_url: str) -> None:
    data = populate(db_url)
    quiet = add_articles(db_url, 2, publisher="Quiet")
    troubled = add_articles(db_url, 2, publisher="Troubled", flagged=True)  # the first confirmed, the second not
    with session_factory(db_url)() as session:
        newest = [row["id"] for row in list_articles(session, 0, 10, where=EVERY).items]
        ranked = [row["id"] for row in list_articles(session, 0, 10, where=EVERY, sort="problems").items]
    assert newest == sorted(newest, reverse=True)
    assert ranked == [troubled[0], data.article_id, troubled[1], *sorted(quiet, reverse=True), data.other_article_id]


def test_articles_filter_by_outlet_in_any_case_and_by_publication_days(db_url: str) -> None:
    populate(db_url)
    bugle = add_articles(db_url, 3)
    add_articles(db_url, 1, publisher="Other Times")
    with session_factory(db_url)() as session:
        by_outlet = list_articles(session, 0, 10, where=ArticleFilter(outlet="daily BUGLE"))
        second_day = ArticleFilter(since=T0 + timedelta(days=1), until=T0 + timedelta(days=1, hours=23))
        by_day = list_articles(session, 0, 10, where=second_day)
    assert sorted(row["id"] for row in by_outlet.items) == bugle and by_outlet.total == 3
    assert {row["outlet"] for row in by_outlet.items} == {"Daily Bugle"}
    assert [row["id"] for row in by_day.items] == [bugle[1]] and by_day.total == 1


def test_articles_are_paginated_in_sql_with_the_total_over_all_pages(db_url: str) -> None:
    ids = add_articles(db_url, 5)
    with session_factory(db_url)() as session:
        pages = [list_articles(session, offset, 2, where=EVERY) for offset in (0, 2, 4)]
    assert [[row["id"] for row in page.items] for page in pages] == [ids[4:2:-1], ids[2:0:-1], ids[:1]]
    assert {page.total for page in pages} == {5}


def test_a_page_of_articles_costs_the_same_number_of_queries_for_3_articles_as_for_30(sqlite_url: str) -> None:
    add_articles(sqlite_url, 3, flagged=True)
    with session_factory(sqlite_url)() as session, counted(session) as few:
        assert len(article_overview(session, 0, 100, EVERY, "problems").items) == 3
    add_articles(sqlite_url, 27, publisher="More", flagged=True)
    with session_factory(sqlite_url)() as session, counted(session) as many:
        assert len(article_overview(session, 0, 100, EVERY, "problems").items) == 30
    assert len(few) == len(many) == 4


def test_source_history_lists_checks_snapshots_claims_with_verdicts_per_snapshot_and_archived_copies(
    db_url: str,
) -> None:
    data = populate(db_url)
    with session_factory(db_url)() as session, counted(session) as statements:
        ntia = source_overview(session, data.ntia_source_id)
    assert len(statements) == 10  # whatever the number of checks, snapshots and claims
    assert ntia["source"]["url"] == "https://ntia.example/report"
    assert [check["status"] for check in ntia["checks"]["items"]] == ["ok", "ok"] and ntia["checks"]["total"] == 2
    fetched = [snapshot["fetched_at"] for snapshot in ntia["snapshots"]["items"]]
    assert fetched == sorted(fetched) and ntia["snapshots"]["total"] == 2
    claim3 = next(claim for claim in ntia["claims"]["items"] if claim["index"] == 3)
    assert [v["verdict"] for v in claim3["verifications"]] == ["supported", "partial"] and claim3["verdict"] == "partial"
    assert ntia["archives"] == [{"url": NTIA_ARCHIVE, "captured_at": ntia["references"][0]["archive_captured_at"],
                                 "found_by": "citation"}]  # fmt: skip


def test_a_dead_source_shows_its_open_problem_and_the_copy_an_archive_lookup_found(db_url: str) -> None:
    data = populate(db_url)
    with session_factory(db_url)() as session:
        dead = source_overview(session, data.dead_source_id)
    assert [(p["status"], p["confirmed"]) for p in dead["problems"]] == [("dead", True)]
    assert [(a["url"], a["found_by"]) for a in dead["archives"]] == [
        ("https://web.archive.example/web/2026/https://gone.example/paper", "lookup")
    ]
    [claim] = dead["claims"]["items"]
    assert (claim["index"], claim["verdict"], claim["verifications"]) == (3, "unavailable", [])


def test_an_unknown_source_is_not_found(db_url: str) -> None:
    with session_factory(db_url)() as session, pytest.raises(NotFound, match="no source with id 999"):
        source_overview(session, 999)


def test_store_totals_count_articles_claims_verdicts_statuses_and_problems(db_url: str) -> None:
    data = populate(db_url)
    with session_factory(db_url).begin() as session:
        session.execute(update(Flag).values(confirmed=False))
    with session_factory(db_url)() as session:
        stats = store_stats(session)
        summary = build_report(session, data.article_id)["summary"]
    assert (stats["articles"], stats["claims"], stats["checks"], stats["sources"]) == (2, 4, 7, 3)
    assert stats["verdicts"] == summary["verdicts"]
    assert stats["source_statuses"] == {"dead": 1, "ok": 2}
    assert stats["problem_sources"] == {"open": 1, "confirmed": 0, "unconfirmed": 1}
    assert stats["last_crawl"] == T0 and stats["snapshots"] == 4


def test_an_empty_store_has_zero_everywhere_and_no_last_crawl(db_url: str) -> None:
    with session_factory(db_url)() as session:
        stats = store_stats(session)
        listing = article_overview(session, 0, 10, EVERY, "problems")
    assert stats["verdicts"] == dict.fromkeys(stats["verdicts"], 0) and len(stats["verdicts"]) == 5
    assert (stats["articles"], stats["checks"], stats["last_crawl"]) == (0, 0, None)
    assert (listing.items, listing.total) == ([], 0)
