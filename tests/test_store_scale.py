"""The store at scale (issue 16), on small stores: lists paged and filtered in SQL, verify and the lists reading in
batches, a fixed number of queries per command, JSON output streamed, and migration 0005's indexes."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from alembic import command
from alembic.config import Config
from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from crawler.cli import main
from crawler.cli.options import stream_json
from crawler.enums import HEALTHY, Verdict
from crawler.jobs.broken import broken_sources, broken_sources_page
from crawler.jobs.browse import list_claims
from crawler.jobs.report import build_report
from crawler.jobs.verify import run_verify
from crawler.report.attribution import RANKED
from store import browse
from store.browse import Page
from store.crawl import due_page
from store.engine import create_store_engine, get_engine, session_factory
from store.models import Article, Check, Citation, Claim, Flag, Reference, Snapshot, Source, Verification
from store.queries import iter_sources
from store.schema import head_revision
from store.verify import mark_sources, pending_batches, refresh_claim_verdicts

T0 = datetime(2026, 5, 1, tzinfo=UTC)
SCALE_INDEXES = {
    "checks": {"ix_checks_snapshot_id", "ix_checks_checked_at"},
    "snapshots": {"ix_snapshots_fetched_at"},
    "sources": {"ix_sources_last_checked_at", "ix_sources_status"},
    "flags": {"ix_flags_resolved_at"},
}
WRITES = ("INSERT", "UPDATE", "DELETE")


def newsroom(factory: sessionmaker[Session], sources: int, origin: str = "/tmp/newsroom.txt") -> int:
    """Store an article whose claim i cites source i; each source fetched once (healthy, with text), and
    marked for verify as ingest and the crawl mark it."""
    with factory.begin() as session:
        article = Article(origin=origin, content_hash=origin.ljust(64, "h")[:64], text="x")
        session.add(article)
        for number in range(1, sources + 1):
            source = Source(url=f"https://s{number}.example{origin}", status="ok", last_checked_at=T0)
            reference = Reference(number=number, raw_text=str(number), url=source.url, source=source)
            claim = Claim(index=number, text=f"Glaciers retreat {number} percent.", start=0, end=20, quotes=[])
            claim.citations = [Citation(number=number, reference=reference)]
            article.references.append(reference)
            article.claims.append(claim)
            fetch(session, source, T0, f"Glaciers retreat {number} percent a year.")
        session.flush()
        mark_sources(session, [reference.source_id for reference in article.references])
        return article.id


def fetch(session: Session, source: Source, when: datetime, page: str) -> None:
    """Add a snapshot of ``source`` and the healthy check that fetched it."""
    snapshot = Snapshot(fetched_at=when, text=page, http_status=200, content_hash=str(hash((page, when))))
    source.snapshots.append(snapshot)
    session.flush()
    session.add(Check(source_id=source.id, checked_at=when, outcome="fetched", status="ok", snapshot_id=snapshot.id))


@contextmanager
def statements(db_url: str) -> Iterator[list[str]]:
    """Collect every SQL statement the store's engine runs inside the block."""
    engine, seen = get_engine(db_url), []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_upgrading_a_0004_store_adds_the_scale_indexes_and_claim_search_and_keeps_every_row(db_url: str) -> None:
    engine = create_store_engine(db_url)

    def migrate(step, revision: str) -> None:  # type: ignore[no-untyped-def]
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", "store:migrations")
            config.attributes["connection"] = connection
            step(config, revision)

    migrate(command.upgrade, "head")  # rows made by this code, then taken back to the revision before the indexes
    newsroom(sessionmaker(engine), 3)
    migrate(command.downgrade, "0004_due_policy")
    tables = ("sources", "checks", "snapshots", "articles", "references", "claims", "citations")
    with engine.connect() as connection:
        before = {name: connection.scalar(text(f'SELECT count(*) FROM "{name}"')) for name in tables}
    engine.dispose()

    assert main(["db", "upgrade", "--db", db_url]) == 0
    engine = get_engine(db_url)
    with engine.connect() as connection:
        assert {name: connection.scalar(text(f'SELECT count(*) FROM "{name}"')) for name in tables} == before
        found = inspect(connection)
        for table, names in SCALE_INDEXES.items():
            assert names <= {index["name"] for index in found.get_indexes(table)}, table
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head_revision()
    factory = session_factory(db_url)
    with factory() as session:  # the claims stored before the upgrade are found by the new search index
        found = list_claims(session, 0, 10, verdict=None, text="RETREAT 2", article_id=None)
        assert [claim["index"] for claim in found.items] == [2]
    newsroom(factory, 1, "/tmp/later.txt")  # and so is a claim stored after it
    with factory() as session:
        assert list_claims(session, 0, 10, verdict=None, text="glaciers", article_id=None).total == 4


def test_verify_chooses_its_pairs_in_sql_in_batches_and_writes_nothing_when_nothing_is_new(db_url: str) -> None:
    factory = session_factory(db_url)
    newsroom(factory, 5)
    with factory() as session:
        assert [len(batch.pairs) for batch in pending_batches(session, healthy=HEALTHY, size=2)] == [2, 2, 1]
    assert len(run_verify(factory, None, force=False).rows) == 5

    with statements(db_url) as seen:
        again = run_verify(factory, None, force=False)
    assert again.rows == [] and again.unavailable == 0
    assert len(seen) == 1  # the marked sources (none): no citation, snapshot or verification is read
    assert "citations" not in seen[0] and not any(statement.lstrip().upper().startswith(WRITES) for statement in seen)

    with factory.begin() as session:  # one source fetched again with new text: its pair alone is pending
        source = session.scalars(select(Source).where(Source.url.startswith("https://s3."))).one()
        fetch(session, source, T0 + timedelta(days=1), "Glaciers now retreat 3 percent a year.")
        mark_sources(session, [source.id])
    rows = run_verify(factory, None, force=False).rows
    assert [(row["claim_index"], row["previous_verdict"] is not None) for row in rows] == [(3, True)]


def test_verify_counts_the_pairs_without_usable_text_and_never_returns_them(db_url: str) -> None:
    factory = session_factory(db_url)
    newsroom(factory, 3)
    with factory.begin() as session:
        session.execute(Check.__table__.update().where(Check.source_id == 2).values(status="dead"))
    done = run_verify(factory, None, force=False)
    assert sorted(row["claim_index"] for row in done.rows) == [1, 3] and done.unavailable == 1


def add_verdicts(factory: sessionmaker[Session], verdicts: dict[int, str]) -> None:
    """Record a verdict for the claims of the given indexes against their one reference and snapshot."""
    with factory.begin() as session:
        for claim in session.scalars(select(Claim).where(Claim.index.in_(verdicts))):
            [citation] = claim.citations
            reference = session.get(Reference, citation.reference_id)
            snapshot_id = session.scalar(select(Snapshot.id).where(Snapshot.source_id == reference.source_id))
            session.add(Verification(claim_id=claim.id, reference_id=reference.id, snapshot_id=snapshot_id,
                                     verdict=verdicts[claim.index], score=50.0))  # fmt: skip
        session.flush()  # and each claim's best verdict stored, as verify stores it
        refresh_claim_verdicts(session, session.scalars(select(Claim.id)), RANKED, Verdict.UNAVAILABLE)


def test_claims_are_paged_and_filtered_in_sql_with_a_fixed_number_of_queries(db_url: str) -> None:
    factory = session_factory(db_url)
    newsroom(factory, 7)
    add_verdicts(factory, {1: "supported", 2: "not_found", 3: "supported", 4: "partial"})

    def indexes(**filters) -> tuple[list[int], int, int | None, int]:  # type: ignore[no-untyped-def]
        with factory() as session, statements(db_url) as seen:
            page = list_claims(session, filters.pop("offset", 0), filters.pop("limit", 3), **{
                "verdict": None, "text": None, "article_id": None, **filters})  # fmt: skip
        return [claim["index"] for claim in page.items], page.total, page.next_after, len(seen)

    first, total, cursor, queries = indexes()
    assert (first, total) == ([1, 2, 3], 7) and cursor is not None
    assert indexes(after=cursor)[:2] == ([4, 5, 6], 7)
    assert indexes(offset=6)[:3] == ([7], 7, None)  # the last page has no cursor
    assert indexes(verdict="supported", limit=10)[:2] == ([1, 3], 2)
    assert indexes(verdict="unavailable", limit=10)[:2] == ([5, 6, 7], 3)
    assert indexes(text="retreat 4 percent")[:2] == ([4], 1)
    assert indexes(text="percent", verdict="partial")[:2] == ([4], 1)
    newsroom(factory, 30, "/tmp/bigger.txt")  # a store 5 times bigger: as many queries for a page
    assert indexes()[3] == queries


def test_the_count_of_all_claims_stops_at_the_cap_and_one_articles_count_is_exact(db_url: str, monkeypatch) -> None:
    factory = session_factory(db_url)
    article_id = newsroom(factory, 7)
    monkeypatch.setattr(browse, "COUNT_CAP", 5)  # a newsroom's millions of claims, in small
    with factory() as session:
        everything = list_claims(session, 0, 3, verdict=None, text=None, article_id=None)
        one_article = list_claims(session, 0, 3, verdict=None, text=None, article_id=article_id)
    assert (everything.total, everything.total_exact) == (5, False)
    assert (one_article.total, one_article.total_exact) == (7, True)


def test_broken_and_the_report_use_a_fixed_number_of_queries(db_url: str) -> None:
    factory = session_factory(db_url)
    small, big = newsroom(factory, 2, "/tmp/small.txt"), newsroom(factory, 6, "/tmp/big.txt")

    def flag(article_id: int) -> None:
        with factory.begin() as session:
            for reference in session.scalars(select(Reference).where(Reference.article_id == article_id)):
                session.add(Flag(source_id=reference.source_id, status="dead", first_seen=T0, last_seen=T0, checks=2,
                                 confirmed=True, evidence={"rule": "http-404"}))  # fmt: skip

    def queries(run) -> int:  # type: ignore[no-untyped-def]
        with factory() as session, statements(db_url) as seen:
            run(session)
        return len(seen)

    flag(small)
    few = queries(broken_sources)
    flag(big)
    assert queries(broken_sources) == few
    with factory() as session:
        rows = broken_sources(session)
        assert len(rows) == 8 and sum(len(row["articles"][0]["claims"]) for row in rows) == 8
    assert queries(lambda s: build_report(s, small)) == queries(lambda s: build_report(s, big))


def test_broken_pages_keep_the_full_lists_order_with_a_fixed_number_of_queries(db_url: str) -> None:
    factory = session_factory(db_url)
    newsroom(factory, 6)
    add_verdicts(factory, {2: "supported", 5: "partial", 6: "not_found"})
    with factory.begin() as session:
        for source in session.scalars(select(Source).order_by(Source.id)):
            since = T0 - timedelta(days=source.id % 3)
            session.add(Flag(source_id=source.id, status="dead", first_seen=since, last_seen=T0, checks=2,
                             confirmed=source.id % 2 == 0, evidence={"rule": "http-404"}))  # fmt: skip

    def page(offset: int, limit: int, **filters) -> tuple[Page, int]:  # type: ignore[no-untyped-def]
        with factory() as session, statements(db_url) as seen:
            return broken_sources_page(session, offset, limit, **filters), len(seen)

    with factory() as session:
        every = broken_sources(session)
        unconfirmed = broken_sources(session, confirmed=False)
    assert [row["claims_losing_support"] for row in every] == [1, 1, 0, 0, 0, 0]
    pages = [page(offset, 4) for offset in (0, 4)]
    assert [row for shown, _ in pages for row in shown.items] == every
    assert {shown.total for shown, _ in pages} == {6} and {queries for _, queries in pages} == {3}
    assert page(1, 2, confirmed=False)[0].items == unconfirmed[1:3]
    assert page(6, 4)[0].items == [] and page(0, 4, status="moved")[0].total == 0
    with factory.begin() as session:  # ten times the flags and citing claims: as many queries for a page
        newsroom(factory, 60, "/tmp/bigger.txt")
        for source_id in session.scalars(select(Source.id).where(Source.id > 6)):
            session.add(Flag(source_id=source_id, status="dead", first_seen=T0, last_seen=T0, checks=1))
    assert page(0, 4)[1] == 3 and page(0, 4)[0].total == 66


def test_due_pages_read_the_validators_of_the_latest_snapshots_without_their_text(db_url: str) -> None:
    factory = session_factory(db_url)
    newsroom(factory, 3)
    with factory() as session, statements(db_url) as seen:
        due = due_page(session, limit=10, every=True)
        stored = session.execute(select(Snapshot.source_id, Snapshot.content_hash))
        hashes = {source_id: content_hash for source_id, content_hash in stored}
    assert [(source.source_id, source.content_hash) for source in due] == sorted(hashes.items())
    assert all(source.snapshot_id is not None for source in due)
    assert len(seen) == 3 and not any("snapshots.text" in statement for statement in seen[:2])


def test_json_lists_stream_one_element_at_a_time() -> None:
    out = io.StringIO()
    written_before_second: list[str] = []

    def rows() -> Iterator[dict[str, int]]:
        yield {"a": 1}
        written_before_second.append(out.getvalue())
        yield {"b": 2}

    stream_json(rows(), out)
    assert out.getvalue() == json.dumps([{"a": 1}, {"b": 2}], indent=2) + "\n"
    assert written_before_second == ['[\n  {\n    "a": 1\n  }']
    empty = io.StringIO()
    stream_json(iter(()), empty)
    assert json.loads(empty.getvalue()) == []


def test_sources_are_read_in_keyset_batches_and_listed_as_a_streamed_json_array(db_url: str, capsys) -> None:
    factory = session_factory(db_url)
    newsroom(factory, 5)
    with factory() as session, statements(db_url) as seen:
        sources = iter_sources(session, batch=2)
        first = next(sources)
        assert len(seen) == 2  # the first batch of sources and their references, nothing more yet
        rest = list(sources)
    ids = [source.id for source, _ in [first, *rest]]
    assert ids == sorted(ids) and len(rest) == 4 and all(len(references) == 1 for _, references in [first, *rest])
    assert len(seen) == 2 * 3 + 1  # three batches, then the empty read that ends them
    assert main(["sources", "list", "--format", "json", "--db", db_url]) == 0
    listed = json.loads(capsys.readouterr().out)
    with factory() as session:
        assert [row["url"] for row in listed] == list(session.scalars(select(Source.url).order_by(Source.id)))
        assert session.scalar(select(func.count(Source.id))) == len(listed) == 5
    assert all(row["articles"][0]["number"] >= 1 for row in listed)
