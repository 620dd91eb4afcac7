"""Migration 0007_verify_marks: a 0006 store keeps every row, its pending work is marked and each claim's verdict
is stored as the old rule computed it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import MetaData, insert, select

from crawler.cli import main
from crawler.jobs.verify import run_verify
from store.engine import create_store_engine, session_factory
from store.models import Claim, Source
from store.schema import head_revision
from tests.test_migration_due import store_at
from tests.test_store_schema import revision_of
from tests.test_store_unique import T0, counts

PREVIOUS = "0006_feeds"


def fill_0006_store(db_url: str) -> None:
    """Sources 1–4 each cited by claim i (claim 5 cites nothing): 1 verified against its usable text, 2 verified
    against an older text, 3 with text only from a dead check, 4 with usable text and never verified."""
    engine = create_store_engine(db_url)
    tables = MetaData()
    tables.reflect(engine)
    t = tables.tables
    with engine.begin() as connection:
        connection.execute(insert(t["sources"]), [
            {"id": n, "url": f"https://s{n}.test/", "created_at": T0, "status": "ok", "next_check_at": T0}
            for n in range(1, 5)
        ])  # fmt: skip
        connection.execute(insert(t["articles"]).values(
            id=1, origin="/a.html", version=1, content_hash="a" * 64, ingested_at=T0, text="A [1]."))  # fmt: skip
        connection.execute(insert(t["references"]), [
            {"id": n, "article_id": 1, "number": n, "raw_text": str(n), "source_id": n} for n in range(1, 5)
        ])  # fmt: skip
        connection.execute(insert(t["claims"]), [
            {"id": n, "article_id": 1, "index": n, "text": f"Claim {n}.", "start": 0, "end": 8, "quotes": []}
            for n in range(1, 6)
        ])  # fmt: skip
        connection.execute(insert(t["citations"]), [
            {"id": n, "claim_id": n, "number": n, "reference_id": n} for n in range(1, 5)
        ])  # fmt: skip
        snapshots = [(1, 1), (2, 2), (3, 2), (4, 3), (5, 4)]  # (snapshot id, source id); 3 is source 2's newer text
        connection.execute(insert(t["snapshots"]), [
            {"id": snapshot, "source_id": source, "fetched_at": T0 + timedelta(hours=snapshot), "redirect_chain": [],
             "fetches": [], "text": f"Text {snapshot}."}
            for snapshot, source in snapshots
        ])  # fmt: skip
        connection.execute(insert(t["checks"]), [
            {"id": snapshot, "source_id": source, "checked_at": T0 + timedelta(hours=snapshot), "outcome": "fetched",
             "status": "dead" if source == 3 else "ok", "evidence": {}, "snapshot_id": snapshot}
            for snapshot, source in snapshots
        ])  # fmt: skip
        connection.execute(insert(t["verifications"]), [
            {"claim_id": claim, "reference_id": claim, "snapshot_id": snapshot, "verified_at": T0 + timedelta(days=1),
             "verdict": verdict, "score": 50.0, "evidence": [], "quotes": [], "conflicts": []}
            for claim, snapshot, verdict in ((1, 1, "supported"), (2, 2, "partial"), (3, 4, "not_found"))
        ])  # fmt: skip
    engine.dispose()


def test_upgrading_a_0006_store_marks_the_sources_with_work_and_stores_each_claims_verdict(db_url: str) -> None:
    store_at(db_url, PREVIOUS)
    fill_0006_store(db_url)
    before = counts(db_url)
    assert revision_of(db_url) == PREVIOUS

    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert revision_of(db_url) == head_revision() and counts(db_url) == before
    factory = session_factory(db_url)
    with factory() as session:
        marked = set(session.scalars(select(Source.id).where(Source.verify_marked_at.is_not(None))))
        verdicts = dict(session.execute(select(Claim.index, Claim.verdict)).all())
    assert marked == {2, 4}, "newer usable text than verified (2), usable text never verified (4)"
    assert verdicts == {1: "supported", 2: "partial", 3: "not_found", 4: "unavailable", 5: "unavailable"}

    done = run_verify(factory, None, force=False)
    assert sorted(row["claim_index"] for row in done.rows) == [2, 4]
    assert run_verify(factory, None, force=False).rows == []
