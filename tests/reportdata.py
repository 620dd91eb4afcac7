"""Store rows for report and web tests: one article whose claims cover every verdict, role and hostile text.

``populate`` makes the article; ``add_contradiction`` adds a fifth claim that its source contradicts (verified by
the engine, so the conflict's spans are the engine's own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from crawler.enums import Verdict
from crawler.report.attribution import RANKED
from crawler.verify import prepare_source, verify_claim
from store.engine import session_factory
from store.models import Article, Check, Citation, Claim, Flag, Reference, Snapshot, Source, Verification
from store.verify import refresh_claim_verdicts

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
HOSTILE_TITLE = "<script>alert('title')</script> Open weights"
HOSTILE_CLAIM = 'Agencies said "monitor" first"><img src=x onerror=alert(1)> and the report agreed.'
HOSTILE_OUTLET = "<b onmouseover=alert(2)>Evil Outlet</b>"
HOSTILE_SOURCE_TEXT = (
    "Intro. <script>alert('source')</script> The agency recommended monitoring open model weights "
    "rather than restricting them. Outro."
)
CONTRADICTED_CLAIM = "The agency recommended restricting open model weights."
AGENCY_TEXT = (
    "Agency news <b>&</b> notes. The agency <i>recommended</i> against restricting open model weights, citing "
    "research access. It will revisit the question next year."
)
# The archived copy and identifiers the article's citation of the NTIA report names.
NTIA_ARCHIVE = "https://web.archive.org/web/20260115093000/https://ntia.example/report"
NTIA_CAPTURED = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
NTIA_DOI = "10.5555/ntia.2024.weights"
NTIA_TEXT = (
    "Summary. The government should not restrict the wide availability of open model weights at this time. "
    "Instead it should monitor risks."
)


@dataclass(frozen=True)
class ReportData:
    """Ids of the rows made by ``populate``."""

    article_id: int
    other_article_id: int
    dead_source_id: int
    ntia_source_id: int
    claim_ids: list[int]


def _evidence(text: str, passage: str, score: float) -> list[dict]:
    start = text.index(passage)
    return [{"text": passage, "start": start, "end": start + len(passage), "score": score}]


def _source(session, url: str, status: str, text: str | None, http_status: int, when: datetime) -> Source:  # type: ignore[no-untyped-def]
    source = Source(url=url, status=status, status_at=when, last_checked_at=when)
    session.add(source)
    _fetched(session, source, text, http_status, when)
    return source


def _fetched(session, source: Source, text: str | None, http_status: int, when: datetime) -> Snapshot:  # type: ignore[no-untyped-def]
    """Add a snapshot and the check that fetched it (the latest snapshot is the latest check's)."""
    snapshot = Snapshot(fetched_at=when, http_status=http_status, final_url=source.url, text=text,
                        content_type="text/html")  # fmt: skip
    source.snapshots.append(snapshot)
    session.flush()
    outcome = "fetched" if http_status < 400 else "failed"
    session.add(Check(source_id=source.id, checked_at=when, outcome=outcome, status=source.status,
                      http_status=http_status, final_url=source.url, snapshot_id=snapshot.id))  # fmt: skip
    return snapshot


def populate(db_url: str) -> ReportData:
    """Insert a hostile article with 4 claims over 4 references (+1 dangling) and a second plain article."""
    with session_factory(db_url).begin() as session:
        ntia = _source(session, "https://ntia.example/report", "ok", NTIA_TEXT, 200, T0)
        evil = _source(session, "https://evil.example/page", "ok", HOSTILE_SOURCE_TEXT, 200, T0)
        dead = _source(session, "https://gone.example/paper", "dead", None, 404, T0)
        article = Article(
            origin="/tmp/hostile.html",
            content_hash="h" * 64,
            url="javascript:alert('article')",
            title=HOSTILE_TITLE,
            published_at=T0 - timedelta(days=30),
            text="(article text)",
        )
        refs = [
            Reference(number=1, outlet="NTIA", title="Report on weights", url=ntia.url, raw_text="1", source=ntia,
                      archive_url=NTIA_ARCHIVE, archive_captured_at=NTIA_CAPTURED, doi=NTIA_DOI, list_group="Sources"),
            Reference(
                number=2, outlet=HOSTILE_OUTLET, title='"><script>x()</script>', url=evil.url, raw_text="2", source=evil
            ),
            Reference(number=3, outlet="Gone Journal", title="Lost paper", url=dead.url, raw_text="3", source=dead),
            Reference(number=4, outlet="No Link Press", title="Unlinked", url=None, raw_text="4"),
        ]
        article.references = refs
        texts = [
            "The NTIA said the government should not restrict open model weights.",
            HOSTILE_CLAIM,
            "A lost paper measured the carbon footprint of local clusters.",
            "An unlinked source and a missing one back this sentence.",
        ]
        cites = [[1, 2], [2], [3, 1], [4, 9]]
        for index, (text, numbers) in enumerate(zip(texts, cites), start=1):
            claim = Claim(index=index, text=text, start=0, end=len(text), quotes=[])
            claim.citations = [Citation(number=n, reference=refs[n - 1] if n <= len(refs) else None) for n in numbers]
            article.claims.append(claim)
        article.claims[1].quotes = [{"text": "monitor", "start": 16, "end": 23}]
        other = Article(origin="/tmp/other.txt", content_hash="o" * 64, title="Plain article", text="x")
        session.add_all([article, other])
        session.flush()
        _verify(session, article, ntia, evil, dead)
        store_verdicts(session)
        return ReportData(article.id, other.id, dead.id, ntia.id, [claim.id for claim in article.claims])


def _verify(session, article: Article, ntia: Source, evil: Source, dead: Source) -> None:  # type: ignore[no-untyped-def]
    c1, c2, c3, _ = article.claims
    r1, r2, _, _ = article.references
    ntia_snap, evil_snap = ntia.snapshots[0], evil.snapshots[0]
    older_ntia = _fetched(session, ntia, NTIA_TEXT, 200, T0 - timedelta(days=1))
    passage = "The government should not restrict the wide availability of open model weights at this time."
    hostile = "<script>alert('source')</script> The agency recommended monitoring open model weights"
    session.add_all(
        [
            Verification(
                claim_id=c1.id,
                reference_id=r1.id,
                snapshot_id=ntia_snap.id,
                verified_at=T0,
                verdict="supported",
                score=91.0,
                evidence=_evidence(NTIA_TEXT, passage, 91.0),
                quotes=[],
            ),
            Verification(
                claim_id=c1.id,
                reference_id=r2.id,
                snapshot_id=evil_snap.id,
                verified_at=T0,
                verdict="not_found",
                score=20.0,
                evidence=[],
                quotes=[],
            ),
            Verification(
                claim_id=c2.id,
                reference_id=r2.id,
                snapshot_id=evil_snap.id,
                verified_at=T0,
                verdict="supported",
                score=80.0,
                evidence=_evidence(HOSTILE_SOURCE_TEXT, hostile, 80.0),
                quotes=[{"text": "monitor", "found": True, "score": 100.0, "start": 60, "end": 67}],
            ),
            # An older verdict (on an older snapshot) that a newer one replaces: the report must use the latest.
            Verification(
                claim_id=c3.id,
                reference_id=r1.id,
                snapshot_id=older_ntia.id,
                verified_at=T0 - timedelta(days=1),
                verdict="supported",
                score=88.0,
                evidence=[],
                quotes=[],
            ),
            Verification(
                claim_id=c3.id,
                reference_id=r1.id,
                snapshot_id=ntia_snap.id,
                verified_at=T0 + timedelta(hours=1),
                verdict="partial",
                score=55.0,
                evidence=_evidence(NTIA_TEXT, "Instead it should monitor risks.", 55.0),
                quotes=[],
            ),
        ]
    )
    session.add(Check(source_id=dead.id, checked_at=T0, outcome="failed", status="dead", http_status=404))
    session.add(
        Flag(
            source_id=dead.id,
            status="dead",
            first_seen=T0 - timedelta(days=6),
            last_seen=T0,
            checks=3,
            confirmed=True,
            confirmed_at=T0,
            evidence={"http_status": 404},
            archive_url="https://web.archive.example/web/2026/https://gone.example/paper",
        )
    )
    session.flush()


def add_contradiction(db_url: str, data: ReportData) -> int:
    """Add claim 5, citing [5], a source that says the opposite (hostile markup in it); return the claim's id."""
    verdict = verify_claim(CONTRADICTED_CLAIM, prepare_source(AGENCY_TEXT), contradicted=True).as_dict()
    assert verdict["verdict"] == "contradicted" and verdict["conflicts"], verdict
    with session_factory(db_url).begin() as session:
        article = session.get(Article, data.article_id)
        agency = _source(session, "https://agency.example/weights", "ok", AGENCY_TEXT, 200, T0)
        reference = Reference(number=5, outlet="Agency Weekly", title="Weights", url=agency.url, raw_text="5")
        article.references.append(reference)
        reference.source = agency
        claim = Claim(index=5, text=CONTRADICTED_CLAIM, start=0, end=len(CONTRADICTED_CLAIM), quotes=[])
        claim.citations = [Citation(number=5, reference=reference)]
        article.claims.append(claim)
        session.flush()
        session.add(Verification(claim_id=claim.id, reference_id=reference.id, snapshot_id=agency.snapshots[0].id,
                                 verified_at=T0, verdict=verdict["verdict"], score=verdict["score"],
                                 evidence=verdict["evidence"], quotes=[], conflicts=verdict["conflicts"]))  # fmt: skip
        store_verdicts(session)
        return claim.id


def store_verdicts(session) -> None:  # type: ignore[no-untyped-def]
    """Store each claim's best verdict over the verifications added directly, as verify stores it."""
    session.flush()
    refresh_claim_verdicts(session, session.scalars(select(Claim.id)), RANKED, Verdict.UNAVAILABLE)
