"""``citetrack verify`` over stored snapshots: only new snapshots cause matching work."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from crawler.cli import main
from store.engine import session_factory
from store.models import Check, Claim, Snapshot, Source, Verification
from store.verify import mark_sources

ARTICLE = """<!doctype html><html><head><title>Open weights</title></head><body><article>
<p>The agency concluded that the government should not restrict the wide availability of model weights.<sup><a href="#r1">1</a></sup></p>
<p>Regulators in Brussels exempted scientific research from the strictest rules.<sup><a href="#r2">2</a></sup></p>
<p>Both sources agree that open models help researchers in poorer countries.<sup><a href="#r1">1</a></sup><sup><a href="#r2">2</a></sup></p>
<h2>Sources</h2><ol>
<li id="r1">Example Agency. <a href="https://agency.example/report">Report on model weights</a></li>
<li id="r2">Example Journal. <a href="https://journal.example/ai-act">The AI Act and research</a></li>
<li id="r3">Example Blog. <a href="https://blog.example/never-fetched">Never fetched</a></li>
</ol></article></body></html>"""

AGENCY_TEXT = (
    "Executive summary. After a long period of public comment, the agency concluded that the government "
    "should not restrict the wide availability of model weights at this time. Instead it recommends "
    "monitoring the marginal risks of open models. Open models also help researchers in low-income "
    "countries build their own tools."
)
JOURNAL_TEXT = (
    "The regulation sets out rules for providers of general purpose models. Systems developed solely for "
    "scientific research and development are exempt from the regulation. Providers must publish a summary "
    "of training data."
)


def add_snapshot(db_url: str, url: str, text: str, when: datetime, status: str = "ok") -> int:
    with session_factory(db_url).begin() as session:
        source = session.scalars(select(Source).where(Source.url == url)).one()
        snapshot = Snapshot(source=source, fetched_at=when, http_status=200, final_url=url, text=text,
                            content_type="text/html")
        session.add(snapshot)
        session.flush()
        session.add(Check(source_id=source.id, checked_at=when, outcome="fetched", status=status,
                          http_status=200, final_url=url, snapshot_id=snapshot.id))
        source.status = status
        mark_sources(session, [source.id])  # as the crawl marks a source whose usable text may have changed
        return snapshot.id


@pytest.fixture
def article_db(db_url, tmp_path, capsys):
    path = tmp_path / "article.html"
    path.write_text(ARTICLE, encoding="utf-8")
    assert main(["ingest", str(path), "--db", db_url]) == 0
    capsys.readouterr()
    return db_url


def verify_json(capsys, db_url: str, *extra: str) -> dict:
    assert main(["verify", "--db", db_url, "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_verify_stores_a_verdict_per_claim_and_fetched_reference(article_db, capsys):
    now = datetime.now(timezone.utc)
    agency = add_snapshot(article_db, "https://agency.example/report", AGENCY_TEXT, now)
    add_snapshot(article_db, "https://journal.example/ai-act", JOURNAL_TEXT, now)
    run = verify_json(capsys, article_db)
    assert run["verified"] == 4  # claims 1 and 2 once each, claim 3 against both references
    assert run["unavailable"] == 0
    first = next(r for r in run["results"] if r["claim_index"] == 1)
    assert first["verdict"] == "supported"
    assert first["snapshot_id"] == agency
    with session_factory(article_db).begin() as session:
        stored = session.scalars(select(Verification).where(Verification.snapshot_id == agency)).all()
        for verification in stored:
            for passage in verification.evidence:
                assert AGENCY_TEXT[passage["start"] : passage["end"]] == passage["text"]


def test_second_verify_without_new_snapshots_does_no_work(article_db, capsys):
    now = datetime.now(timezone.utc)
    add_snapshot(article_db, "https://agency.example/report", AGENCY_TEXT, now)
    verify_json(capsys, article_db)
    assert verify_json(capsys, article_db)["verified"] == 0
    assert main(["verify", "--db", article_db]) == 0
    assert "nothing to verify" in capsys.readouterr().out


def test_new_snapshot_reverifies_only_the_claims_citing_it_and_keeps_history(article_db, capsys):
    start = datetime.now(timezone.utc)
    add_snapshot(article_db, "https://agency.example/report", AGENCY_TEXT, start)
    add_snapshot(article_db, "https://journal.example/ai-act", JOURNAL_TEXT, start)
    verify_json(capsys, article_db)
    add_snapshot(article_db, "https://journal.example/ai-act", JOURNAL_TEXT + " Updated.", start + timedelta(hours=1))
    run = verify_json(capsys, article_db)
    assert sorted((r["claim_index"], r["reference"]) for r in run["results"]) == [(2, 2), (3, 2)]
    with session_factory(article_db).begin() as session:
        assert session.scalar(select(func.count()).select_from(Verification)) == 6


def test_unhealthy_snapshot_is_not_used_for_matching(article_db, capsys):
    add_snapshot(article_db, "https://agency.example/report", "Subscribe to read the full report.",
                 datetime.now(timezone.utc), status="paywalled")
    run = verify_json(capsys, article_db)
    assert run["verified"] == 0
    assert run["unavailable"] == 4  # claims 1 and 3 cite [1]; claims 2 and 3 cite [2] (never fetched)


def test_verify_all_recomputes_up_to_date_pairs(article_db, capsys):
    add_snapshot(article_db, "https://agency.example/report", AGENCY_TEXT, datetime.now(timezone.utc))
    verify_json(capsys, article_db)
    assert verify_json(capsys, article_db, "--all")["verified"] == 2


def test_verify_unknown_article_fails_cleanly(sqlite_url, capsys):
    assert main(["verify", "--article", "9", "--db", sqlite_url]) == 1
    assert "no article with id 9" in capsys.readouterr().err


CONTRADICTING_TEXT = (
    "Executive summary. After a long period of public comment, the agency concluded that the government should "
    "restrict the wide availability of model weights at this time."
)


def test_verify_stores_a_contradicted_verdict_with_both_spans_of_each_conflict(article_db, capsys):
    snapshot = add_snapshot(article_db, "https://agency.example/report", CONTRADICTING_TEXT, datetime.now(timezone.utc))
    run = verify_json(capsys, article_db)
    first = next(r for r in run["results"] if r["claim_index"] == 1)
    assert first["verdict"] == "contradicted" and run["verdicts"]["contradicted"] >= 1
    [conflict] = first["conflicts"]
    assert conflict["kind"] == "negation"
    with session_factory(article_db).begin() as session:
        stored = session.get(Verification, first["verification_id"])
        assert (stored.verdict, stored.snapshot_id, stored.conflicts) == ("contradicted", snapshot, first["conflicts"])
        claim_text = session.get(Claim, first["claim_id"]).text
    claim, source = conflict["claim"], conflict["source"]
    assert claim_text[claim["start"] : claim["end"]] == claim["text"]
    assert CONTRADICTING_TEXT[source["start"] : source["end"]] == source["text"]
    assert all(r["conflicts"] == [] for r in run["results"] if r["verdict"] != "contradicted")
    assert main(["verify", "--all", "--db", article_db]) == 0
    table = capsys.readouterr().out
    assert "contradicted" in table and f"{claim['start']}:{claim['end']}" in table and "negation" in table
