"""Verify's marks (what needs verifying is stored, not searched for) and each claim's stored best verdict."""

from __future__ import annotations

import gzip
import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from crawler.cli import main
from crawler.enums import HEALTHY, Verdict
from crawler.health.schedule import DuePolicy
from crawler.jobs.browse import list_claims
from crawler.jobs.schedule import record_checks_on_schedule
from crawler.jobs.sources import set_reference_url
from crawler.jobs.verify import run_verify
from crawler.report.attribution import RANKED, best_verdict
from store.base import utcnow
from store.crawl import CheckRecord
from store.engine import session_factory
from store.models import Citation, Claim, Reference, Snapshot, Source, Verification
from store.snapshots import add_reextraction
from store.verify import clear_marks, mark_sources, pending_batches, refresh_claim_verdicts
from tests.test_cli_verify import ARTICLE
from tests.test_store_scale import T0, newsroom, statements

POLICY = DuePolicy(recheck=timedelta(days=7), confirm_spacing=timedelta(days=3))


def marked(factory: sessionmaker[Session]) -> set[int]:
    """Return the ids of the sources marked for verify."""
    with factory() as session:
        return set(session.scalars(select(Source.id).where(Source.verify_marked_at.is_not(None))))


def source_of(session: Session, number: int) -> Source:
    """Return the newsroom's source cited by claim ``number``."""
    return session.scalars(select(Source).where(Source.url.startswith(f"https://s{number}."))).one()


def crawled(source_id: int, status: str, page: str | None = None, snapshot_id: int | None = None) -> CheckRecord:
    """Return the check the crawl would store: a new body with ``page`` as its text, or the snapshot it kept."""
    record = CheckRecord(source_id, T0 + timedelta(days=2), "unchanged" if page is None else "fetched", status, {})
    if page is None:
        record.snapshot_id = snapshot_id
        return record
    body = page.encode()
    record.content_hash, record.body_gzip = hashlib.sha256(body).hexdigest(), gzip.compress(body)
    record.body_size, record.text = len(body), page
    return record


def test_a_crawl_that_stores_new_text_marks_its_source_and_verify_takes_only_those_pairs(db_url: str) -> None:
    factory = session_factory(db_url)
    newsroom(factory, 4)
    assert len(run_verify(factory, None, force=False).rows) == 4 and marked(factory) == set()
    with factory.begin() as session:
        two, three, four = (source_of(session, number) for number in (2, 3, 4))
        kept = session.scalar(select(Snapshot.id).where(Snapshot.source_id == three.id))
        record_checks_on_schedule(session, [
            crawled(two.id, "ok", "Glaciers now retreat 9 percent a year."),  # new usable text
            crawled(three.id, "ok", snapshot_id=kept),  # the same text again (304): nothing to verify
            crawled(four.id, "dead", "Page not found."),  # not healthy: the usable text is still the old one
        ], POLICY)  # fmt: skip
        marked_now = {two.id}
    assert marked(factory) == marked_now

    done = run_verify(factory, None, force=False)
    assert [(row["claim_index"], row["previous_verdict"] is not None) for row in done.rows] == [(2, True)]
    assert marked(factory) == set()
    with statements(db_url) as seen:
        assert run_verify(factory, None, force=False).rows == []
    assert len(seen) == 1 and "citations" not in seen[0]


def test_an_interrupted_verify_keeps_its_marks_and_the_next_run_does_the_work(db_url: str) -> None:
    factory = session_factory(db_url)
    newsroom(factory, 3)
    before = marked(factory)

    def crash() -> None:
        raise RuntimeError("killed mid-run")

    with pytest.raises(RuntimeError):
        run_verify(factory, None, force=False, on_each=crash)
    assert marked(factory) == before and len(before) == 3
    with factory() as session:
        assert session.scalar(select(Verification.id)) is None
    assert len(run_verify(factory, None, force=False).rows) == 3 and marked(factory) == set()


def test_a_source_marked_again_while_verify_reads_it_stays_marked(db_url: str) -> None:
    factory = session_factory(db_url)
    newsroom(factory, 2)
    with factory() as session:
        [batch] = list(pending_batches(session, healthy=HEALTHY))
        with factory.begin() as crawl:  # a crawl stores new text for source 1 after verify read its mark
            mark_sources(crawl, [batch.settled[0][0]])
        clear_marks(session, batch.settled)
        session.commit()
    assert marked(factory) == {batch.settled[0][0]}


def test_verify_of_one_article_or_all_pairs_reads_every_pair_and_keeps_the_marks(db_url: str) -> None:
    factory = session_factory(db_url)
    article_id = newsroom(factory, 3)
    assert len(run_verify(factory, None, force=False).rows) == 3
    assert len(run_verify(factory, article_id, force=True).rows) == 3
    with factory.begin() as session:
        mark_sources(session, [source_of(session, 1).id])
    assert run_verify(factory, article_id, force=False).rows == [] and len(marked(factory)) == 1
    assert len(run_verify(factory, None, force=True).rows) == 3 and len(marked(factory)) == 1


def test_ingest_and_set_url_mark_the_sources_they_link(db_url: str, tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    page.write_text(ARTICLE, encoding="utf-8")
    factory = session_factory(db_url)
    assert main(["ingest", str(page), "--db", db_url]) == 0
    with factory() as session:
        linked = set(session.scalars(select(Reference.source_id).where(Reference.source_id.is_not(None))))
    assert marked(factory) == linked and len(linked) > 1

    with factory.begin() as session:
        session.execute(update(Source).values(verify_marked_at=None))
        article_id = session.scalar(select(Reference.article_id))
        reference = set_reference_url(session, article_id, 1, "https://b.example/two")
        assert reference.source is not None
        expected = {reference.source.id}
    assert marked(factory) == expected


def python_best(session: Session, claim: Claim) -> str:
    """The claim's best verdict by the rule, computed in Python: each citation's newest verification, ranked."""
    latest = []
    for citation in session.scalars(select(Citation).where(Citation.claim_id == claim.id)):
        newest = session.scalars(
            select(Verification.verdict)
            .where(Verification.claim_id == claim.id, Verification.reference_id == citation.reference_id)
            .order_by(Verification.verified_at.desc(), Verification.id.desc())
        ).first()
        latest.append(newest or Verdict.UNAVAILABLE)
    return best_verdict(latest)


def test_stored_claim_verdicts_and_the_verdict_filter_follow_the_rule_on_a_mixed_store(db_url: str) -> None:
    factory = session_factory(db_url)
    newsroom(factory, 6)
    run_verify(factory, None, force=False)
    with factory.begin() as session:
        claims = list(session.scalars(select(Claim).order_by(Claim.index)))
        snapshot = session.scalar(select(Snapshot.id).order_by(Snapshot.id))
        pair = {claim.index: (claim.id, claim.citations[0].reference_id) for claim in claims}
        later = utcnow() + timedelta(days=1)  # newer than what verify just stored
        # Claim 1 gets a second, worse citation (to source 2); claim 2's newest verdict is contradicted.
        session.add_all([
            Citation(claim_id=pair[1][0], number=9, reference_id=pair[2][1]),
            Verification(claim_id=pair[1][0], reference_id=pair[2][1], snapshot_id=None, verdict="not_found",
                         verified_at=later),
            Verification(claim_id=pair[2][0], reference_id=pair[2][1], snapshot_id=None, verdict="contradicted",
                         verified_at=later),
            Citation(claim_id=pair[3][0], number=8, reference_id=None),  # a dangling number
        ])  # fmt: skip
        session.execute(update(Verification).where(Verification.claim_id == pair[4][0]).values(verdict="not_found"))
        session.execute(Citation.__table__.delete().where(Citation.claim_id == pair[5][0]))  # no citation left
        session.execute(Verification.__table__.delete().where(Verification.claim_id == pair[6][0]))  # never verified
        session.flush()
        refresh_claim_verdicts(session, [claim.id for claim in claims], RANKED, Verdict.UNAVAILABLE)
        assert snapshot is not None
    with factory() as session:
        expected = {claim.id: python_best(session, claim) for claim in session.scalars(select(Claim))}
        stored = {claim_id: verdict for claim_id, verdict in session.execute(select(Claim.id, Claim.verdict))}
        assert stored == expected and len(set(expected.values())) >= 4
        for verdict in RANKED:
            page = list_claims(session, 0, 50, verdict=verdict, text=None, article_id=None)
            wanted = sorted(claim_id for claim_id, best in expected.items() if best == verdict)
            assert sorted(item["id"] for item in page.items) == wanted and page.total == len(wanted), verdict
            assert all(item["verdict"] == verdict for item in page.items)


def test_a_reextraction_marks_its_source_and_verify_checks_the_claims_against_the_new_text(db_url: str) -> None:
    factory = session_factory(db_url)
    newsroom(factory, 2)
    run_verify(factory, None, force=False)
    with factory.begin() as session:
        snapshot = session.scalars(select(Snapshot).where(Snapshot.source_id == source_of(session, 2).id)).one()
        fresh = add_reextraction(session, snapshot, {
            "text": "Glaciers retreat 2 percent a year, the survey says.", "title": None, "author": None,
            "published_at": None, "extractor": "test", "extracted_at": T0,
        })  # fmt: skip
        expected = ({snapshot.source_id}, fresh.id)
    assert marked(factory) == expected[0]
    [row] = run_verify(factory, None, force=False).rows
    assert (row["claim_index"], row["snapshot_id"]) == (2, expected[1]) and marked(factory) == set()
