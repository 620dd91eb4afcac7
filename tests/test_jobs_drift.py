"""Drift in the store: a supporting passage that disappears raises a flag; date stamps, counters and menus do not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from crawler.cli import main
from crawler.jobs.broken import broken_sources
from crawler.jobs.drift import detect_drift, detect_drift_since
from crawler.verify import prepare_source, verify_claim
from store.engine import session_factory
from store.models import Article, Check, Citation, Claim, Flag, Reference, Snapshot, Source, Verification
from tests.driftdata import CLAIM, COSMETIC, DRIFTED, PAGE, PASSAGE

T0 = datetime(2026, 2, 1, tzinfo=UTC)


def seed(session):
    """A source cited by one claim, verified as supported against its first snapshot."""
    source = Source(url="https://example.org/ports", status="ok")
    article = Article(origin="/tmp/a.txt", content_hash="h", text=CLAIM + " [1]")
    reference = Reference(number=1, raw_text="[1] Port report", url=source.url, source=source)
    claim = Claim(index=1, text=CLAIM, start=0, end=len(CLAIM), quotes=[])
    claim.citations = [Citation(number=1, reference=reference)]
    article.references, article.claims = [reference], [claim]
    session.add(article)
    first = add_snapshot(session, source, PAGE, T0)
    verdict = verify_claim(CLAIM, prepare_source(PAGE)).as_dict()
    assert verdict["verdict"] == "supported"
    session.add(Verification(claim_id=claim.id, reference_id=reference.id, snapshot_id=first.id, verified_at=T0,
                             verdict=verdict["verdict"], score=verdict["score"], evidence=verdict["evidence"]))  # fmt: skip
    session.flush()
    return source


def add_snapshot(session, source, text, when):
    snapshot = Snapshot(source=source, fetched_at=when, http_status=200, final_url=source.url, text=text)
    session.add(snapshot)
    session.flush()
    session.add(Check(source_id=source.id, checked_at=when, outcome="fetched", status="ok", snapshot_id=snapshot.id))
    session.flush()
    return snapshot


def test_passage_gone_flags_drift_with_both_passages_and_dates(db_url):
    factory = session_factory(db_url)
    with factory.begin() as session:
        source = seed(session)
        new = add_snapshot(session, source, DRIFTED, T0 + timedelta(days=10))
        flag = detect_drift(session, new)
        assert (flag.status, flag.confirmed, flag.checks) == ("drifted", True, 1)
        [claim] = flag.evidence["claims"]
        assert (claim["old_verdict"], claim["new_verdict"]) == ("supported", "not_found")
        assert claim["old_passage"] == PASSAGE
        assert claim["new_passage"] and PASSAGE not in claim["new_passage"]
        assert claim["old_snapshot_at"] == T0.isoformat()
        assert claim["new_snapshot_at"] == (T0 + timedelta(days=10)).isoformat()
        assert detect_drift(session, new).checks == 1, "re-running on the same snapshot must not count twice"
        stored = session.scalars(select(Verification).where(Verification.snapshot_id == new.id)).all()
        assert [v.verdict for v in stored] == ["not_found"], "the re-verification is stored once, for verify to reuse"


def test_cosmetic_change_raises_no_flag(db_url):
    factory = session_factory(db_url)
    with factory.begin() as session:
        source = seed(session)
        add_snapshot(session, source, COSMETIC, T0 + timedelta(days=10))
        assert detect_drift_since(session, T0 + timedelta(days=1)) == []
        assert session.scalars(select(Flag)).all() == []


def test_support_restored_in_a_later_snapshot_clears_the_drift_flag(db_url):
    factory = session_factory(db_url)
    with factory.begin() as session:
        source = seed(session)
        flag = detect_drift(session, add_snapshot(session, source, DRIFTED, T0 + timedelta(days=10)))
        later = detect_drift(session, add_snapshot(session, source, PAGE, T0 + timedelta(days=20)))
        assert later.id == flag.id
        assert later.resolved_at == T0 + timedelta(days=20)
        assert "support restored" in later.resolution


CONTRADICTING = PASSAGE.replace("rose", "fell")


def test_a_recrawl_that_contradicts_a_supported_claim_raises_drift_and_broken_lists_both_passages(db_url, capsys):
    factory = session_factory(db_url)
    with factory.begin() as session:
        source = seed(session)
        new = add_snapshot(session, source, COSMETIC.replace(PASSAGE, CONTRADICTING), T0 + timedelta(days=10))
        flag = detect_drift(session, new)
        assert (flag.status, flag.evidence["rule"]) == ("drifted", "contradicted")
        [claim] = flag.evidence["claims"]
        assert (claim["old_verdict"], claim["new_verdict"]) == ("supported", "contradicted")
        assert (claim["old_passage"], claim["new_passage"]) == (PASSAGE, CONTRADICTING)
        [conflict] = claim["conflicts"]
        assert (conflict["kind"], conflict["claim"]["text"], conflict["source"]["text"]) == ("direction", "rose", "fell")
        assert new.text[conflict["source"]["start"] : conflict["source"]["end"]] == "fell"
        [row] = broken_sources(session)
        assert (row["status"], row["claims_losing_support"]) == ("drifted", 1)
        assert row["evidence"]["claims"][0]["new_passage"] == CONTRADICTING
    assert main(["broken", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert 'supported -> contradicted (direction: "rose" against "fell")' in out
    assert f"was: {PASSAGE}" in out and f"now: {CONTRADICTING}" in out


def test_a_contradiction_the_old_text_already_had_raises_no_drift(db_url):
    """A store verified before `contradicted` existed: the same passage, now read as contradicting, is no change."""
    factory = session_factory(db_url)
    with factory.begin() as session:
        source = seed(session)
        old_text = PAGE.replace(PASSAGE, CONTRADICTING)
        older = add_snapshot(session, source, old_text, T0 + timedelta(days=1))
        [claim] = session.scalars(select(Claim)).all()
        start = old_text.index(CONTRADICTING)
        evidence = [{"text": CONTRADICTING, "start": start, "end": start + len(CONTRADICTING), "score": 100.0}]
        session.add(Verification(claim_id=claim.id, reference_id=claim.citations[0].reference_id, snapshot_id=older.id,
                                 verified_at=T0 + timedelta(days=1), verdict="supported", score=80.0,
                                 evidence=evidence))  # fmt: skip
        new = add_snapshot(session, source, COSMETIC.replace(PASSAGE, CONTRADICTING), T0 + timedelta(days=10))
        assert detect_drift(session, new) is None
        [stored] = session.scalars(select(Verification).where(Verification.snapshot_id == new.id)).all()
        assert stored.verdict == "contradicted", "verify sees the contradiction; drift does not blame the source"
