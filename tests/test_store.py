"""Store schema: constraints, upserts and timezone handling on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from store.engine import get_engine, session_factory
from store.models import Article, Reference


def test_schema_is_created_on_first_use_with_named_constraints(db_url):
    inspector = inspect(get_engine(db_url))
    assert {"articles", "references", "claims", "citations", "sources", "snapshots", "checks",
            "verifications", "flags", "bodies"} <= set(inspector.get_table_names())
    unique_names = {c["name"] for c in inspector.get_unique_constraints("references")}
    assert "uq_references_article_id_number" in unique_names


def test_sqlite_store_runs_in_wal_mode(sqlite_url):
    with get_engine(sqlite_url).connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_duplicate_reference_number_is_rejected_by_the_database(db_url):
    factory = session_factory(db_url)
    with pytest.raises(IntegrityError):
        with factory.begin() as session:
            article = Article(origin="x", content_hash="h", text="t")
            article.references = [Reference(number=1, raw_text="a"), Reference(number=1, raw_text="b")]
            session.add(article)


def test_datetimes_come_back_timezone_aware_in_utc(db_url):
    published = datetime(2026, 6, 12, 4, 55, tzinfo=timezone(timedelta(hours=-4)))
    with session_factory(db_url).begin() as session:
        session.add(Article(origin="x", content_hash="h", text="t", published_at=published))
    with session_factory(db_url).begin() as session:
        stored = session.scalars(select(Article)).one().published_at
    assert stored == published
    assert stored.utcoffset() == timedelta(0)


def test_naive_datetime_is_refused(sqlite_url):
    with pytest.raises(Exception, match="naive datetime"):
        with session_factory(sqlite_url).begin() as session:
            session.add(Article(origin="x", content_hash="h", text="t", published_at=datetime(2026, 1, 1)))
