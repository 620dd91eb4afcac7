"""Migration 0004_due_policy: a 0003 store keeps every row, and each source gets the next check the default
policy would have given it."""

from __future__ import annotations

from datetime import timedelta

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, insert

from crawler.cli import main
from store.engine import create_store_engine, session_factory
from store.models import Source
from store.schema import head_revision
from tests.test_store_schema import revision_of
from tests.test_store_unique import T0, counts

PREVIOUS = "0003_ref_archives_conflicts"


def store_at(url: str, revision: str) -> None:
    engine = create_store_engine(url)
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", "store:migrations")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def test_upgrading_a_0003_store_keeps_every_row_and_schedules_each_source(db_url: str) -> None:
    store_at(db_url, PREVIOUS)
    engine = create_store_engine(db_url)
    tables = MetaData()
    tables.reflect(engine)
    t = tables.tables
    with engine.begin() as connection:
        connection.execute(insert(t["sources"]), [
            {"url": "https://a.test/never", "created_at": T0, "status": "pending", "last_checked_at": None},
            {"url": "https://a.test/healthy", "created_at": T0, "status": "ok", "last_checked_at": T0 + timedelta(hours=5)},
            {"url": "https://a.test/dead", "created_at": T0, "status": "dead", "last_checked_at": T0 + timedelta(hours=6)},
            {"url": "https://a.test/drifted", "created_at": T0, "status": "drifted", "last_checked_at": T0},
        ])  # fmt: skip
        article = connection.execute(insert(t["articles"]).values(
            origin="/a.html", version=1, content_hash="a" * 64, ingested_at=T0, text="A [1].").returning(t["articles"].c.id)
        ).scalar_one()  # fmt: skip
        connection.execute(insert(t["references"]).values(article_id=article, number=1, raw_text="1", source_id=2))
        connection.execute(insert(t["checks"]).values(
            source_id=3, checked_at=T0, outcome="failed", status="dead", evidence={}))  # fmt: skip
        connection.execute(insert(t["flags"]).values(
            source_id=3, status="dead", first_seen=T0, last_seen=T0, checks=1, confirmed=False, evidence={}))  # fmt: skip
    engine.dispose()
    before = counts(db_url)
    assert revision_of(db_url) == PREVIOUS

    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert revision_of(db_url) == head_revision() and counts(db_url) == before
    with session_factory(db_url).begin() as session:
        scheduled = {source.url: (source.next_check_at, source.created_at) for source in session.query(Source)}
    assert scheduled["https://a.test/healthy"][0] == T0 + timedelta(hours=5, days=7)
    assert scheduled["https://a.test/dead"][0] == T0 + timedelta(hours=6, days=3)
    assert scheduled["https://a.test/drifted"][0] == T0 + timedelta(days=7)
    never_checked, created = scheduled["https://a.test/never"]
    assert never_checked == created, "a source never checked is due at once"
    assert main(["due", "--db", db_url, "--format", "json"]) == 0
