"""Migration 0008_scale_more: a 0006 store keeps every row and gets broken's covering indexes."""

from __future__ import annotations

from sqlalchemy import MetaData, inspect, insert

from crawler.cli import main
from crawler.enums import SUPPORTING
from store.engine import create_store_engine
from store.models import SUPPORTING_VERDICTS
from store.schema import head_revision
from tests.test_migration_due import store_at
from tests.test_store_schema import revision_of
from tests.test_store_unique import T0, counts

PREVIOUS = "0006_feeds"


def test_upgrading_a_0006_store_keeps_every_row_and_widens_brokens_indexes(db_url: str) -> None:
    store_at(db_url, PREVIOUS)
    engine = create_store_engine(db_url)
    tables = MetaData()
    tables.reflect(engine)
    t = tables.tables
    with engine.begin() as connection:

        def add(table: str, **values: object) -> int:
            return connection.execute(insert(t[table]).values(**values).returning(t[table].c.id)).scalar_one()

        source = add("sources", url="https://a.test/", created_at=T0, status="dead", next_check_at=T0)
        article = add("articles", origin="/a.html", version=1, content_hash="a" * 64, ingested_at=T0, text="A [1].")
        reference = add("references", article_id=article, number=1, raw_text="1", source_id=source)
        claim = add("claims", article_id=article, index=1, text="A.", start=0, end=2, quotes=[])
        add("citations", claim_id=claim, number=1, reference_id=reference)
        connection.execute(insert(t["verifications"]).values(
            claim_id=claim, reference_id=reference, verified_at=T0, verdict="supported", score=90.0, evidence=[],
            quotes=[], conflicts=[]))  # fmt: skip
    engine.dispose()
    before = counts(db_url)

    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert revision_of(db_url) == head_revision() and counts(db_url) == before
    engine = create_store_engine(db_url)
    found = {
        table: {index["name"]: index["column_names"] for index in inspect(engine).get_indexes(table)}
        for table in ("references", "citations", "verifications")
    }
    engine.dispose()
    assert found["references"]["ix_references_source_id"] == ["source_id", "id"]
    assert found["citations"]["ix_citations_reference_id"] == ["reference_id", "claim_id"]
    assert found["verifications"]["ix_verifications_supporting"] == ["claim_id", "reference_id"]


def test_the_supporting_index_covers_the_verdicts_broken_counts() -> None:
    assert set(SUPPORTING_VERDICTS) == set(SUPPORTING)
