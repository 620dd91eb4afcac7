"""One snapshot per (source, content hash) and one verification per (claim, reference, snapshot), enforced by the
database: migration 0002 folds old duplicates, upserts keep concurrent crawls and verifies from making new ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, func, insert, select, text

from crawler.cli import main
from crawler.enums import HEALTHY
from store.crawl import latest_snapshots
from store.engine import create_store_engine, session_factory
from store.models import Check, Reference, Snapshot, Source, Verification
from store.schema import head_revision
from store.verify import latest_usable_snapshot
from tests.crawling import FAST, add_article, add_sources, crawl, snapshots
from tests.mockserver import MockServer
from tests.mockserver.hostile import HostileServer
from tests.test_store_schema import baseline_store, revision_of

REPO = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def cli(*args: str) -> subprocess.Popen[str]:
    """Start ``citetrack ARGS`` as its own process (``crawl`` itself refuses to run in a thread)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-c", "from crawler.cli import console_main; console_main()", *args]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=110)
    assert process.returncode == 0, err
    return out


def duplicate_snapshots(db_url: str) -> int:
    with session_factory(db_url).begin() as session:
        groups = select(Snapshot.source_id, Snapshot.content_hash).group_by(Snapshot.source_id, Snapshot.content_hash)
        return session.scalar(select(func.count()).select_from(groups.having(func.count() > 1).subquery())) or 0


def test_two_crawls_at_once_store_each_version_of_each_source_once(db_url: str, mockserver: MockServer) -> None:
    urls = [mockserver.url(f"/delay/0.2?page={n}") for n in range(24)]
    add_sources(db_url, urls)
    runs = [cli("crawl", "--all", "--allow-private", "--db", db_url, "--format", "json", *FAST) for _ in range(2)]
    summaries = [json.loads(finish(run)) for run in runs]
    assert [summary["not_checked"] for summary in summaries] == [0, 0]
    assert duplicate_snapshots(db_url) == 0
    with session_factory(db_url).begin() as session:
        assert session.scalar(select(func.count()).select_from(Snapshot)) == len(urls)
        assert session.scalar(select(func.count()).select_from(Check)) == 2 * len(urls)


ARTICLE_HEAD = "<!doctype html><html><head><title>Budget</title></head><body><article>"
ARTICLE_SOURCES = """<h2>Sources</h2><ol>
<li id="r1">City Hall. <a href="https://city.example/budget">Budget minutes</a></li>
<li id="r2">Daily. <a href="https://daily.example/budget">Council report</a></li></ol></article></body></html>"""
SOURCE_TEXT = " ".join(f"Item {n}: the council approved {n} million euros for project number {n}." for n in range(150))


def many_claims_article(tmp_path: Path) -> Path:
    """An article of 150 claims, each citing both sources: 300 (claim, reference) pairs."""
    claims = "".join(
        f'<p>The council approved {n} million euros for project number {n}.<sup><a href="#r1">1</a></sup>'
        f'<sup><a href="#r2">2</a></sup></p>'
        for n in range(150)
    )
    path = tmp_path / "budget.html"
    path.write_text(ARTICLE_HEAD + claims + ARTICLE_SOURCES, encoding="utf-8")
    return path


def add_fetched(db_url: str, url: str, body_text: str, when: datetime) -> int:
    """Store a snapshot of ``url`` with a content hash and the healthy check that fetched it."""
    with session_factory(db_url).begin() as session:
        source = session.scalars(select(Source).where(Source.url == url)).one()
        snapshot = Snapshot(source_id=source.id, fetched_at=when, http_status=200, final_url=url, text=body_text,
                            content_hash=f"{hash(body_text) & 0xFFFFFFFF:064x}", content_type="text/html")  # fmt: skip
        session.add(snapshot)
        session.flush()
        session.add(Check(source_id=source.id, checked_at=when, outcome="fetched", status="ok", http_status=200,
                          snapshot_id=snapshot.id))  # fmt: skip
        return snapshot.id


def test_two_verify_runs_at_once_store_one_verification_per_pair_and_snapshot(db_url: str, tmp_path: Path) -> None:
    assert main(["ingest", str(many_claims_article(tmp_path)), "--db", db_url]) == 0
    for url in ("https://city.example/budget", "https://daily.example/budget"):
        add_fetched(db_url, url, SOURCE_TEXT, T0)
    runs = [cli("verify", "--db", db_url, "--format", "json") for _ in range(2)]
    verified = [json.loads(finish(run))["verified"] for run in runs]
    assert max(verified) == 300
    with session_factory(db_url).begin() as session:
        assert session.scalar(select(func.count()).select_from(Verification)) == 300


def test_verify_all_again_updates_each_verification_in_place(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(many_claims_article(tmp_path)), "--db", db_url]) == 0
    add_fetched(db_url, "https://city.example/budget", SOURCE_TEXT, T0)
    capsys.readouterr()
    assert main(["verify", "--db", db_url, "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["verify", "--all", "--db", db_url, "--format", "json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["verified"] == first["verified"] == 150
    assert [r["verification_id"] for r in again["results"]] == [r["verification_id"] for r in first["results"]]
    assert [r["previous_verdict"] for r in again["results"]] == [r["verdict"] for r in first["results"]]
    with session_factory(db_url).begin() as session:
        assert session.scalar(select(func.count()).select_from(Verification)) == 150


def test_a_source_that_flips_back_points_at_its_stored_version_which_is_then_the_latest(
    db_url: str, hostile_server: HostileServer
) -> None:
    url = hostile_server.url(f"/flip/{os.urandom(4).hex()}")
    add_sources(db_url, [url])
    ids = [crawl(db_url, "--all", "--allow-private")[1]["sources"][0]["snapshot_id"] for _ in range(3)]
    first, second = (snapshot.id for snapshot in snapshots(db_url, url))
    assert ids == [first, second, first]
    with session_factory(db_url).begin() as session:
        source = session.scalars(select(Source).where(Source.url == url)).one()
        assert latest_snapshots(session, [source.id])[source.id].id == first
        assert latest_usable_snapshot(session, source.id, HEALTHY).id == first


def test_crawl_after_reextraction_finds_the_new_text_and_keeps_the_old_for_its_verifications(
    db_url: str, mockserver: MockServer
) -> None:
    url = mockserver.url("/blog/eu-ai-act-open-source.html")
    add_article(db_url, [url])
    crawl(db_url, "--allow-private")
    with session_factory(db_url).begin() as session:
        session.execute(text("UPDATE snapshots SET text = 'stale text from an older extractor'"))
    assert main(["extract", "--all", "--db", db_url, "--workers", "0", "--format", "json"]) == 0
    old, new = snapshots(db_url, url)
    assert old.content_hash is None and new.content_hash is not None
    code, summary = crawl(db_url, "--all", "--allow-private")
    assert code == 0 and summary["sources"][0]["snapshot_id"] == new.id
    assert len(snapshots(db_url, url)) == 2


def fill_baseline(db_url: str) -> dict[str, int]:
    """Put rows in every baseline table, with duplicates of the kinds old stores have; return the ids used."""
    engine = create_store_engine(db_url)
    tables = MetaData()
    tables.reflect(engine)
    t = tables.tables
    with engine.begin() as connection:
        def add(name: str, **values: object) -> int:
            return connection.execute(insert(t[name]).values(**values).returning(t[name].c.id)).scalar_one()

        article = add("articles", origin="/a.html", version=1, content_hash="a" * 64, ingested_at=T0, text="A [1].")
        claim = add("claims", article_id=article, index=1, text="A.", start=0, end=2, quotes=[])
        source = add("sources", url="https://s.example/", created_at=T0, status="ok")
        reference = add("references", article_id=article, number=1, raw_text="1", url="https://s.example/",
                        source_id=source)  # fmt: skip
        add("citations", claim_id=claim, number=1, reference_id=reference)
        body = add("bodies", sha256="b" * 64, size=3, data=b"abc")
        snap = {"source_id": source, "http_status": 200, "redirect_chain": [], "fetches": [], "content_hash": "b" * 64,
                "body_id": body}  # fmt: skip
        first = add("snapshots", fetched_at=T0, text="same text", **snap)
        twin = add("snapshots", fetched_at=T0 + timedelta(seconds=1), text="same text", **snap)  # a concurrent crawl
        reextracted = add("snapshots", fetched_at=T0, text="better text", **snap)  # citetrack extract
        other = add("snapshots", fetched_at=T0 + timedelta(days=1), text="new version", source_id=source,
                    http_status=200, redirect_chain=[], fetches=[], content_hash="c" * 64)  # fmt: skip
        checks = [add("checks", source_id=source, checked_at=T0 + timedelta(hours=n), outcome="fetched", status="ok",
                      evidence={}, snapshot_id=s) for n, s in enumerate([first, twin, other])]  # fmt: skip
        verification = {"claim_id": claim, "reference_id": reference, "score": 90.0, "evidence": [], "quotes": []}
        old_verdict = add("verifications", snapshot_id=first, verified_at=T0, verdict="supported", **verification)
        twin_verdict = add("verifications", snapshot_id=twin, verified_at=T0 + timedelta(hours=1), verdict="partial",
                           **verification)  # fmt: skip
        better_verdict = add("verifications", snapshot_id=reextracted, verified_at=T0, verdict="supported",
                             **verification)  # fmt: skip
        add("flags", source_id=source, status="dead", first_seen=T0, last_seen=T0, checks=1, confirmed=False,
            evidence={})  # fmt: skip
    engine.dispose()
    return {
        "first": first, "twin": twin, "reextracted": reextracted, "other": other, "old_verdict": old_verdict,
        "twin_verdict": twin_verdict, "better_verdict": better_verdict, "check_first": checks[0],
        "check_twin": checks[1], "check_other": checks[2],
    }  # fmt: skip


def counts(db_url: str) -> dict[str, int]:
    engine = create_store_engine(db_url)
    with engine.connect() as connection:
        names = ["articles", "bodies", "checks", "citations", "claims", "flags", "references", "snapshots",
                 "sources", "verifications"]  # fmt: skip
        found = {name: connection.scalar(text(f'SELECT count(*) FROM "{name}"')) for name in names}
    engine.dispose()
    return found


def test_upgrading_a_baseline_store_keeps_every_row_and_folds_only_duplicates(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline_store(db_url)
    ids = fill_baseline(db_url)
    before = counts(db_url)
    assert main(["sources", "list", "--db", db_url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "run `citetrack db upgrade`" in err
    assert main(["crawl", "--all", "--db", db_url]) == 1
    assert "citetrack db upgrade" in capsys.readouterr().err

    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert revision_of(db_url) == head_revision()
    after = counts(db_url)
    # The twin snapshot and the older of the two verdicts on the same snapshot are folded; nothing else goes.
    assert after == {**before, "snapshots": before["snapshots"] - 1, "verifications": before["verifications"] - 1}
    with session_factory(db_url).begin() as session:
        rows = {s.id: s for s in session.scalars(select(Snapshot))}
        assert sorted(rows) == sorted([ids["first"], ids["reextracted"], ids["other"]])
        assert rows[ids["first"]].content_hash is None and rows[ids["first"]].text == "same text"
        assert rows[ids["reextracted"]].content_hash == "b" * 64
        check_targets = {c.id: c.snapshot_id for c in session.scalars(select(Check))}
        assert check_targets == {ids["check_first"]: ids["reextracted"], ids["check_twin"]: ids["reextracted"],
                                 ids["check_other"]: ids["other"]}  # fmt: skip
        verdicts = {v.id: (v.snapshot_id, v.verdict) for v in session.scalars(select(Verification))}
        assert verdicts == {ids["twin_verdict"]: (ids["first"], "partial"),
                            ids["better_verdict"]: (ids["reextracted"], "supported")}  # fmt: skip
        # 0003: verdicts made before conflicts existed have none; references keep their fields, the new ones empty.
        assert [v.conflicts for v in session.scalars(select(Verification))] == [[], []]
        [reference] = session.scalars(select(Reference)).all()
        assert (reference.number, reference.url, reference.raw_text) == (1, "https://s.example/", "1")
        added = ("label", "list_group", "archive_url", "archive_captured_at", "accessed_at", "published_at", "doi",
                 "pmid", "pmcid", "arxiv", "isbn")  # fmt: skip
        assert {name: getattr(reference, name) for name in added} == dict.fromkeys(added)
    assert main(["sources", "list", "--db", db_url]) == 0
