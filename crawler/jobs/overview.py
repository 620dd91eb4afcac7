"""The overview for editors: articles with their verdict and problem counts, one source's history, store totals."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from crawler.enums import SUPPORTING, Verdict
from crawler.jobs.report import found_copy
from store import overview
from store.browse import Page
from store.overview import ArticleFilter, ArticleSort

# Checks an editor should look at: the source does not back the claim, says otherwise, or gave no text.
ATTENTION = tuple(verdict for verdict in Verdict if verdict not in SUPPORTING)
# How many of a source's latest checks, snapshots and citing claims its page shows.
SOURCE_ROWS = 200


def verdict_counts(counts: dict[str | None, int]) -> dict[str, int]:
    """Return a count for each of the five verdicts, best first; citations never verified are ``unavailable``."""
    named = {verdict.value: counts.get(verdict.value, 0) for verdict in Verdict}
    named[Verdict.UNAVAILABLE] += counts.get(None, 0)
    return named


def article_overview(
    session: Session, offset: int, limit: int, where: ArticleFilter, sort: ArticleSort = "newest",
    after: int | None = None,
) -> Page:
    """Return a page of articles, each with its checks by verdict and its problem sources."""
    found = overview.list_articles(session, offset, limit, where=where, sort=sort, after=after)
    for article in found.items:
        article["verdicts"] = verdict_counts(article["verdicts"])
        article["checks"] = sum(article["verdicts"].values())
        article["needs_attention"] = sum(article["verdicts"][verdict] for verdict in ATTENTION)
    return found


def source_overview(session: Session, source_id: int) -> dict[str, Any]:
    """Return a source's checks, snapshots, citing claims with their verdict per snapshot, and archived copies."""
    history = overview.source_history(session, source_id, SOURCE_ROWS)
    for claim in history["claims"]["items"]:
        latest = claim["verifications"][-1]["verdict"] if claim["verifications"] else Verdict.UNAVAILABLE
        claim["verdict"] = latest
    history["archives"] = _archives(history["problems"], history["references"])
    return history


def _archives(problems: list[dict[str, Any]], references: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return each distinct archived copy: those an archive lookup found first, then those the citations name."""
    found = [(p["archive_url"], found_copy(p["archive_url"], p["evidence"])["archive_captured_at"], "lookup")
             for p in problems if p["archive_url"]]  # fmt: skip
    cited = [(ref["archive_url"], ref["archive_captured_at"], "citation") for ref in references if ref["archive_url"]]
    copies: dict[str, dict[str, Any]] = {}
    for url, captured_at, found_by in found + cited:
        copies.setdefault(url, {"url": url, "captured_at": captured_at, "found_by": found_by})
    return list(copies.values())


def store_stats(session: Session) -> dict[str, Any]:
    """Return the store at a glance: articles, claims, checks by verdict, sources by status, problems, last check."""
    totals = overview.totals(session)
    verdicts = verdict_counts(totals.pop("verdicts"))
    problems = totals.pop("problem_sources")
    return {
        "articles": totals["articles"],
        "claims": totals["claims"],
        "checks": sum(verdicts.values()),
        "verdicts": verdicts,
        "sources": sum(totals["sources"].values()),
        "source_statuses": dict(sorted(totals["sources"].items())),
        "problem_sources": {**problems, "unconfirmed": problems["open"] - problems["confirmed"]},
        "snapshots": totals["snapshots"],
        "last_crawl": totals["last_check_at"],
    }
