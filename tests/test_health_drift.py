"""Drift: a supporting passage that disappears raises a flag; date stamps, counters and menus do not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from crawler.health.drift import passage_still_there, support_dropped
from crawler.verify import prepare_source, verify_claim
from store.drift import detect_drift, detect_drift_since
from store.engine import session_factory
from store.models import Article, Check, Citation, Claim, Flag, Reference, Snapshot, Source, Verification

T0 = datetime(2026, 2, 1, tzinfo=UTC)
PASSAGE = "The port authority said container traffic through the harbour rose by 12 percent in 2023."
PAGE = (
    "Updated 3 March 2024. Views: 1,204. Home | News | Trade\n\n" + PASSAGE + " New cranes installed in the spring "
    "cut the average time to unload a ship from 30 hours to 18 hours. Dock workers' unions welcomed the investment "
    "but warned about staffing levels on night shifts."
)
COSMETIC = PAGE.replace("Updated 3 March 2024. Views: 1,204.", "Updated 9 May 2024. Views: 98,311.").replace(
    "Home | News | Trade", "Home | World | Trade | Sport"
)
DRIFTED = PAGE.replace(PASSAGE, "The port authority declined to publish traffic figures for last year.")
CLAIM = "Container traffic through the harbour rose by 12 percent in 2023, according to the port authority."


def test_support_dropped_when_the_verdict_or_the_score_falls_with_the_passage_gone():
    evidence = [{"text": PASSAGE, "start": 0, "end": len(PASSAGE), "score": 90.0}]
    assert support_dropped("supported", 80, evidence, "not_found", 5, DRIFTED)
    assert support_dropped("partial", 50, evidence, "not_found", 5, DRIFTED)
    assert support_dropped("supported", 80, evidence, "supported", 60, DRIFTED), "support now rests on weaker text"
    assert not support_dropped("supported", 80, evidence, "supported", 75, DRIFTED)
    assert not support_dropped("not_found", 10, evidence, "unavailable", 0, DRIFTED)


def test_support_dropped_is_false_when_the_old_passage_is_still_there():
    evidence = [{"text": PASSAGE, "start": 0, "end": len(PASSAGE), "score": 90.0}]
    assert not support_dropped("supported", 80, evidence, "partial", 40, COSMETIC)
    copy_edited = COSMETIC.replace("rose by 12 percent", "rose by 12 per cent")
    assert passage_still_there(PASSAGE, copy_edited)
    assert not passage_still_there(PASSAGE, DRIFTED)


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
