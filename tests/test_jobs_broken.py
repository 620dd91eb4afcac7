"""Health queries on SQLite and PostgreSQL: the broken list, the post-crawl pass, and archive bookkeeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crawler.health.archive import ArchiveResult
from crawler.health.flags import Confirmation
from crawler.jobs.broken import broken_sources
from store.archive import archive_tasks, record_archive
from store.engine import session_factory
from store.health import resolve_source
from store.healthpass import health_after_crawl, reclassify_shared_landings
from store.models import Article, Check, Citation, Claim, Flag, Reference, Source, Verification

T0 = datetime(2026, 3, 1, tzinfo=UTC)
FAST = Confirmation(2, timedelta(0))


def cited_source(session, url: str, number: int, article: Article, *, supported: bool = False) -> Source:
    """A source cited by claim ``number`` of ``article``, optionally once verified as supporting it."""
    source = Source(url=url, status="pending")
    reference = Reference(number=number, raw_text=f"[{number}]", url=url, source=source)
    claim = Claim(index=number, text=f"Claim {number}.", start=0, end=9, quotes=[])
    claim.citations = [Citation(number=number, reference=reference)]
    article.references.append(reference)
    article.claims.append(claim)
    session.flush()
    if supported:
        session.add(Verification(claim_id=claim.id, reference_id=reference.id, verdict="supported", score=80.0))
    return source


def check(session, source: Source, status: str, when: datetime, **fields) -> Check:
    fields.setdefault("evidence", {"rule": f"rule-{status}", "conclusive": True})
    row = Check(source_id=source.id, checked_at=when, outcome="fetched", status=status, **fields)
    session.add(row)
    source.status, source.status_at = status, when
    session.flush()
    return row


def new_article(session) -> Article:
    article = Article(origin="/tmp/x.txt", content_hash="h", text="x", ingested_at=T0, published_at=T0 - timedelta(days=30))
    session.add(article)
    return article


def test_broken_list_puts_sources_whose_claims_lose_support_first_and_filters(db_url):
    with session_factory(db_url).begin() as session:
        article = new_article(session)
        quiet = cited_source(session, "https://a.example/quiet", 1, article)
        loud = cited_source(session, "https://a.example/loud", 2, article, supported=True)
        for day in (0, 1):
            check(session, quiet, "dead", T0 + timedelta(days=day), http_status=404)
            check(session, loud, "paywalled", T0 + timedelta(days=day), http_status=200)
        health_after_crawl(session, T0, FAST)
        rows = broken_sources(session)
        assert [(r["url"], r["claims_losing_support"], r["confirmed"]) for r in rows] == [
            (loud.url, 1, True),
            (quiet.url, 0, True),
        ]
        assert rows[0]["articles"] == [
            {"article_id": article.id, "claims": [
                {"claim_id": rows[0]["articles"][0]["claims"][0]["claim_id"], "index": 2, "text": "Claim 2.",
                 "reference": 2, "loses_support": True}]}
        ]  # fmt: skip
        assert [r["url"] for r in broken_sources(session, status="dead")] == [quiet.url]
        assert broken_sources(session, article_id=article.id + 1) == []


def test_health_pass_is_idempotent(db_url):
    with session_factory(db_url).begin() as session:
        source = cited_source(session, "https://a.example/gone", 1, new_article(session))
        check(session, source, "dead", T0)
        check(session, source, "dead", T0 + timedelta(days=1))
        first = health_after_crawl(session, T0, FAST)
        again = health_after_crawl(session, T0, FAST)
        assert first["confirmed"] == again["confirmed"] == 2
        [row] = broken_sources(session)
        assert (row["checks"], row["confirmed"]) == (2, True)


def test_first_urls_reaching_a_shared_landing_page_become_soft_404(db_url):
    with session_factory(db_url).begin() as session:
        article = new_article(session)
        landing = "https://b.example/all-stories"
        sources = [cited_source(session, f"https://b.example/story/{n}", n, article) for n in (1, 2, 3)]
        moved = cited_source(session, "https://b.example/old", 4, article)
        for source in sources:
            check(session, source, "redirected", T0, final_url=landing)
        check(session, moved, "redirected", T0, final_url="https://b.example/new")
        assert reclassify_shared_landings(session, T0) == 3
        assert [s.status for s in sources] == ["soft_404"] * 3
        assert moved.status == "redirected"
        stored = session.get(Check, 1)
        assert (stored.evidence["rule"], stored.evidence["shared_by"]) == ("shared_redirect", 3)


def test_archive_tasks_aim_at_the_article_date_and_record_the_copy(db_url):
    with session_factory(db_url).begin() as session:
        source = cited_source(session, "https://c.example/gone", 1, new_article(session))
        check(session, source, "dead", T0 + timedelta(days=1), http_status=410)
        check(session, source, "dead", T0 + timedelta(days=2), http_status=410)
        health_after_crawl(session, T0, FAST)
        [task] = archive_tasks(session)
        assert (task.url, task.target, task.limit) == (source.url, T0 - timedelta(days=30), T0)
        assert [claim.text for claim in task.claims] == ["Claim 1."]
        result = ArchiveResult(source.url, "http://archive.test/web/2026/x", T0 - timedelta(days=40), True, "ok",
                               [{"claim_id": task.claims[0].claim_id, "verdict": "supported", "score": 90.0}])  # fmt: skip
        flag = record_archive(session, task.flag_id, result)
        assert flag.archive_url == "http://archive.test/web/2026/x"
        assert archive_tasks(session) == [], "a source with an archived copy is not looked up again"
        check(session, source, "dead", T0 + timedelta(days=3), http_status=410)
        health_after_crawl(session, T0 + timedelta(days=3), FAST)
        assert broken_sources(session)[0]["evidence"]["archive"]["claims_supported"] == 1, "kept across checks"


def test_a_successful_check_does_not_clear_a_drift_flag(db_url):
    with session_factory(db_url).begin() as session:
        source = cited_source(session, "https://d.example/changed", 1, new_article(session))
        drift = Flag(source_id=source.id, status="drifted", first_seen=T0, last_seen=T0, confirmed=True)
        session.add(drift)
        check(session, source, "ok", T0 + timedelta(days=1), http_status=200)
        health_after_crawl(session, T0, FAST)
        assert drift.resolved_at is None
        assert [row["status"] for row in broken_sources(session)] == ["drifted"]
        assert source.status == "drifted", "sources list shows the drift while the page itself answers ok"


def test_editor_note_on_a_drifted_source_restores_its_checked_status(db_url):
    with session_factory(db_url).begin() as session:
        source = cited_source(session, "https://d.example/edited", 1, new_article(session))
        check(session, source, "ok", T0, http_status=200)
        session.add(Flag(source_id=source.id, status="drifted", first_seen=T0, last_seen=T0, confirmed=True))
        health_after_crawl(session, T0, FAST)
        assert source.status == "drifted"
        [flag] = resolve_source(session, source, replacement_url=None, note="the outlet corrected the figure")
        assert (flag.resolution, source.status, source.editor_note) == (
            "editor note: the outlet corrected the figure", "ok", "the outlet corrected the figure",
        )
        assert broken_sources(session) == []
