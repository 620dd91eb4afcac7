"""The editors' broken list: open flags with the claims citing each source, those losing most support first."""

from __future__ import annotations

from datetime import timedelta

from crawler.jobs.broken import broken_sources
from crawler.jobs.healthpass import health_after_crawl
from store.engine import session_factory
from tests.storedata import FAST, T0, check, cited_source, new_article


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
