"""The store-at-scale benchmark's instrument (benchmarks/bench_store.py): its generator and its measuring tools.

A 1,000-source store is generated on SQLite and on the real PostgreSQL server and checked the way the
benchmark relies on it: the real schema, every row where its id says, no dangling reference, and a store the
commands see as settled (nothing to verify, nothing due, the open flags listed by ``broken``).
"""

from __future__ import annotations

import json
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from itertools import islice

import pytest
from sqlalchemy import Engine, UniqueConstraint, inspect, select, text
from sqlalchemy.orm import Session

from benchmarks.storebench.load import Generated, StoreSpec, admin_engine, drop_store, plan_rows, prepare_store
from benchmarks.storebench.plan import Sizes, draw_plan
from benchmarks.storebench.run import FirstRequestProxy, citetrack_command, run_command
from benchmarks.storebench.workload import Facts, new_snapshots
from crawler.cli import main
from crawler.enums import Verdict
from crawler.report.attribution import RANKED
from store.engine import get_engine
from store.models import Base, Claim
from store.verify import best_verdict
from tests.databases import POSTGRES_URL

SCALE = 0.001  # 1,000 sources, 300 articles
ANCHOR = 1_790_000_000.0
# (table, column, referenced table): every foreign key of the schema.
FOREIGN_KEYS = (
    ("references", "article_id", "articles"), ("references", "source_id", "sources"),
    ("claims", "article_id", "articles"), ("citations", "claim_id", "claims"),
    ("citations", "reference_id", "references"), ("verifications", "claim_id", "claims"),
    ("verifications", "reference_id", "references"), ("verifications", "snapshot_id", "snapshots"),
    ("checks", "source_id", "sources"), ("checks", "snapshot_id", "snapshots"),
    ("snapshots", "source_id", "sources"), ("snapshots", "body_id", "bodies"), ("flags", "source_id", "sources"),
)  # fmt: skip


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def generated_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[StoreSpec, Generated, Engine]]:
    """A generated 1,000-source store (in a schema of its own on PostgreSQL), dropped afterwards."""
    name = f"t_bench_{uuid.uuid4().hex[:8]}"
    spec = StoreSpec(request.param, SCALE, 16, name, POSTGRES_URL, tmp_path_factory.mktemp("bench-store"))
    generated = prepare_store(spec, citetrack_command(), reuse=False, log=lambda line: None)
    engine = admin_engine(spec)
    try:
        yield spec, generated, engine
    finally:
        engine.dispose()
        get_engine(spec.url).dispose()  # the engine the commands run in-process opened
        drop_store(spec)


def test_generated_store_has_the_planned_rows_in_every_table(generated_store):
    spec, generated, engine = generated_store
    with engine.connect() as connection:
        counted = {table: connection.scalar(text(f'SELECT count(*) FROM "{table}"')) for table in generated.counts}
        largest = {table: connection.scalar(text(f'SELECT max(id) FROM "{table}"')) for table in generated.counts}
    assert counted == generated.counts
    assert largest == generated.counts  # ids run from 1 without gaps, as the plan numbered them
    assert (counted["sources"], counted["articles"]) == (1_000, 300)
    assert 2_500 < counted["claims"] < 3_500 and 3_200 < counted["citations"] < 4_600


def test_generated_store_has_no_dangling_reference(generated_store):
    _, _, engine = generated_store
    with engine.connect() as connection:
        for table, column, referenced in FOREIGN_KEYS:
            orphans = connection.scalar(
                text(
                    f'SELECT count(*) FROM "{table}" child LEFT JOIN "{referenced}" parent '
                    f"ON parent.id = child.{column} WHERE child.{column} IS NOT NULL AND parent.id IS NULL"
                )
            )
            assert orphans == 0, f"{table}.{column} points at missing {referenced}"
        # A verification is of a cited pair, against a snapshot of that reference's own source.
        foreign_snapshot = connection.scalar(
            text(
                'SELECT count(*) FROM verifications v JOIN "references" r ON r.id = v.reference_id '
                "JOIN snapshots s ON s.id = v.snapshot_id WHERE s.source_id <> r.source_id"
            )
        )
        uncited = connection.scalar(
            text(
                "SELECT count(*) FROM verifications v WHERE NOT EXISTS (SELECT 1 FROM citations c "
                "WHERE c.claim_id = v.claim_id AND c.reference_id = v.reference_id)"
            )
        )
    assert (foreign_snapshot, uncited) == (0, 0)


def test_generated_store_keeps_the_real_schema_indexes_and_constraints(generated_store):
    _, _, engine = generated_store
    inspector = inspect(engine)
    for table in Base.metadata.sorted_tables:
        declared_indexes = {index.name for index in table.indexes}
        declared_foreign = {key.name for key in table.foreign_key_constraints}
        declared_unique = {key.name for key in table.constraints if isinstance(key, UniqueConstraint)}
        assert {index["name"] for index in inspector.get_indexes(table.name)} >= declared_indexes
        assert {key["name"] for key in inspector.get_foreign_keys(table.name)} == declared_foreign
        assert {key["name"] for key in inspector.get_unique_constraints(table.name)} == declared_unique


def test_generated_store_is_settled_for_the_commands(generated_store, capsys):
    spec, generated, engine = generated_store
    facts = Facts(spec, generated, citetrack_command(), 60, 2**31, engine)
    assert main(["verify", "--db", spec.url, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["verified"] == 0
    assert main(["crawl", "--due", str(facts.nothing_due_days), "--db", spec.url, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["fetched"] == 0
    assert main(["broken", "--db", spec.url, "--format", "json"]) == 0
    broken = json.loads(capsys.readouterr().out)
    with engine.connect() as connection:
        assert len(broken) == connection.scalar(text("SELECT count(*) FROM flags WHERE resolved_at IS NULL")) == 9
    assert {row["confirmed"] for row in broken} == {True, False}


def test_new_snapshots_give_verify_work_and_leave_the_store_as_it_was(generated_store, capsys):
    spec, generated, engine = generated_store
    facts = Facts(spec, generated, citetrack_command(), 60, 2**31, engine)
    with Session(engine) as session:  # the generated verdicts are the rule's (store.verify.best_verdict)
        ruled = session.execute(select(Claim.id, best_verdict(RANKED, Verdict.UNAVAILABLE)).order_by(Claim.id)).all()
        stored = session.execute(select(Claim.id, Claim.verdict).order_by(Claim.id)).all()
    assert stored == ruled and len({verdict for _, verdict in stored}) >= 3
    with new_snapshots(engine, facts, 10) as added:
        assert main(["verify", "--db", spec.url, "--format", "json"]) == 0
        verified = json.loads(capsys.readouterr().out)
    assert added == 10
    assert verified["verified"] >= 10 and verified["verdicts"].get("supported", 0) >= 10
    with engine.connect() as connection:
        counted = {table: connection.scalar(text(f'SELECT count(*) FROM "{table}"')) for table in generated.counts}
        marked = connection.scalar(text("SELECT count(*) FROM sources WHERE verify_marked_at IS NOT NULL"))
        after = connection.execute(text("SELECT id, verdict FROM claims ORDER BY id")).all()
    assert counted == generated.counts and marked == 0 and [tuple(row) for row in after] == [tuple(r) for r in stored]


def test_reuse_finds_the_store_made_the_same_way(generated_store):
    spec, generated, _ = generated_store
    again = prepare_store(spec, citetrack_command(), reuse=True, log=lambda line: None)
    assert again.reused and again.counts == generated.counts and again.anchor == generated.anchor


def test_same_seed_generates_the_same_rows_and_another_seed_others():
    def rows(seed: int) -> list:
        return list(islice(plan_rows(draw_plan(Sizes.at(SCALE), seed, ANCHOR), seed, "sqlite"), 5_000))

    first = rows(16)
    assert rows(16) == first
    assert rows(17) != first


def test_run_command_kills_a_command_over_its_time_cap():
    measured = run_command([sys.executable, "-c", "import time; time.sleep(30)"], timeout=1, memory_cap=2**30)
    assert (measured.ended, measured.seconds) == ("time cap", None)


def test_run_command_kills_a_command_over_its_memory_cap():
    hog = "import time; block = bytearray(400 * 2**20); time.sleep(30)"
    measured = run_command([sys.executable, "-c", hog], timeout=20, memory_cap=200 * 2**20)
    assert (measured.ended, measured.seconds) == ("memory cap", None)
    assert measured.peak_rss > 200 * 2**20


def test_run_command_reports_exit_status_and_output():
    measured = run_command([sys.executable, "-c", "print('x' * 10); raise SystemExit(3)"], timeout=20, memory_cap=2**30)
    assert (measured.ended, measured.output_bytes, measured.output.strip()) == ("exit 3", 11, "x" * 10)
    assert measured.first_byte is not None and measured.seconds is not None


def test_first_request_proxy_notes_the_first_request_and_answers_none():
    with FirstRequestProxy() as proxy:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy.url}))
        with pytest.raises(OSError):
            opener.open("http://source.example/page", timeout=1)
        assert proxy.first_request() is not None
        assert proxy.first_line == "GET http://source.example/page HTTP/1.1"
