"""Rows for store and jobs tests: an article citing sources, and checks of those sources."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crawler.health.flags import Confirmation
from store.models import Article, Check, Citation, Claim, Reference, Source, Verification

T0 = datetime(2026, 3, 1, tzinfo=UTC)
# Tests confirm a problem after two checks, however close together.
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
    """Store a check of ``source`` with ``status`` at ``when``, as the crawl would."""
    fields.setdefault("evidence", {"rule": f"rule-{status}", "conclusive": True})
    row = Check(source_id=source.id, checked_at=when, outcome="fetched", status=status, **fields)
    session.add(row)
    source.status, source.status_at = status, when
    session.flush()
    return row


def new_article(session) -> Article:
    """Store an article ingested at ``T0`` and published 30 days before."""
    article = Article(
        origin="/tmp/x.txt", content_hash="h", text="x", ingested_at=T0, published_at=T0 - timedelta(days=30)
    )
    session.add(article)
    return article


def add_check(session, source, status, when, *, conclusive=True, http_status=None):  # type: ignore[no-untyped-def]
    """Store a check as the crawl would, its evidence saying whether it was conclusive."""
    check = Check(
        source_id=source.id, checked_at=when, outcome="failed" if status != "ok" else "fetched", status=status,
        http_status=http_status, final_url=source.url, evidence={"rule": f"rule-{status}", "conclusive": conclusive},
    )  # fmt: skip
    session.add(check)
    session.flush()
    return check


def new_source(session, url: str) -> Source:  # type: ignore[no-untyped-def]
    """Store a source of ``url``, never checked."""
    source = Source(url=url)
    session.add(source)
    session.flush()
    return source
