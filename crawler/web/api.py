"""The read-only JSON API: articles, reports, claims, broken sources and snapshot history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from crawler.jobs.broken import broken_sources_page
from crawler.jobs.browse import list_claims
from crawler.jobs.overview import article_overview, source_overview, store_stats
from crawler.jobs.report import build_report
from crawler.report.json import to_jsonable
from crawler.web.params import (
    After,
    ArticleId,
    ArticleOrder,
    OutletFilter,
    OptionalArticleId,
    PageNumber,
    PerPage,
    PublishedFrom,
    PublishedUntil,
    ReportOnly,
    SearchText,
    SourceId,
    SourceStatus,
    VerdictFilter,
    article_filter,
    envelope,
    offset,
)
from crawler.web.schemas import ArticlePage, SourceOverview, Stats
from crawler.web.session import SessionDep
from store import browse
from store.queries import get_article

router = APIRouter(prefix="/api", tags=["api"])
ERRORS: dict[int | str, dict[str, Any]] = {404: {"description": "no such article or source"}}


@router.get(
    "/articles", summary="List articles with their overview, newest or most problems first", response_model=ArticlePage
)
def articles(
    session: SessionDep,
    page: PageNumber = 1,
    per_page: PerPage = 20,
    sort: ArticleOrder = "newest",
    outlet: OutletFilter = None,
    published_from: PublishedFrom = None,
    published_until: PublishedUntil = None,
    after: After = None,
) -> dict[str, Any]:
    """Each article with its id, URL, title, dates and claim count, and its overview: checks by verdict
    (`verdicts`, `checks`, `needs_attention`) and cited sources with an open problem (`problem_sources`); `after`
    (newest first only) continues after that article id."""
    where = article_filter(outlet, published_from, published_until)
    return envelope(article_overview(session, offset(page, per_page), per_page, where, sort, after), page, per_page)


@router.get("/articles/{article_id}/report", summary="One article's report", responses=ERRORS)
def report(session: SessionDep, article_id: ArticleId, only: ReportOnly = "all") -> dict[str, Any]:
    """The same document as `citetrack report ARTICLE_ID --format json`."""
    return to_jsonable(build_report(session, article_id, only))


@router.get("/claims", summary="Claims, filtered by verdict, text or article", responses=ERRORS)
def claims(
    session: SessionDep,
    verdict: VerdictFilter = None,
    q: SearchText = None,
    article_id: OptionalArticleId = None,
    page: PageNumber = 1,
    per_page: PerPage = 20,
    after: After = None,
) -> dict[str, Any]:
    """Claims whose best verdict over their citations is `verdict` and whose text contains `q` (any case).

    `q` is looked up in a full-text index: each of its words must begin a word of the claim. Each claim lists
    its citations' latest checks (`reference`, `verdict`, `score`, `conflicts`).
    """
    if article_id is not None:
        get_article(session, article_id)
    rows = list_claims(
        session, offset(page, per_page), per_page, verdict=verdict, text=q, article_id=article_id, after=after
    )
    return envelope(rows, page, per_page)


@router.get("/broken", summary="Broken sources, most claims losing support first", responses=ERRORS)
def broken(
    session: SessionDep,
    status: SourceStatus = None,
    confirmed: Annotated[
        bool | None, Query(description="only confirmed (true) or unconfirmed (false) problems")
    ] = None,
    article_id: OptionalArticleId = None,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> dict[str, Any]:
    """The rows of `citetrack broken --format json`, one page at a time."""
    if article_id is not None:
        get_article(session, article_id)
    rows = broken_sources_page(
        session, offset(page, per_page), per_page, article_id=article_id, status=status, confirmed=confirmed
    )
    return envelope(rows, page, per_page)


@router.get("/sources", summary="Sources with their latest health status")
def sources(
    session: SessionDep, status: SourceStatus = None, page: PageNumber = 1, per_page: PerPage = 20, after: After = None
) -> dict[str, Any]:
    """Every cited source (one per canonical URL), optionally only those with `status`."""
    return envelope(browse.list_sources(session, offset(page, per_page), per_page, status, after), page, per_page)


@router.get("/sources/{source_id}/snapshots", summary="One source's snapshot history", responses=ERRORS)
def snapshots(session: SessionDep, source_id: SourceId, page: PageNumber = 1, per_page: PerPage = 20) -> dict[str, Any]:
    """Every stored version of a source, newest first (metadata and text length, not the text)."""
    source, rows = browse.source_snapshots(session, source_id, offset(page, per_page), per_page)
    return {"source": to_jsonable(source), **envelope(rows, page, per_page)}


@router.get("/sources/{source_id}", summary="One source's history", responses=ERRORS, response_model=SourceOverview)
def source(session: SessionDep, source_id: SourceId) -> dict[str, Any]:
    """The source's latest checks and snapshots (oldest first), the claims citing it with their verdict against
    each snapshot, its open problems and its archived copies (the data of the page `/sources/ID`)."""
    return to_jsonable(source_overview(session, source_id))


@router.get("/stats", summary="The store at a glance", response_model=Stats)
def stats(session: SessionDep) -> dict[str, Any]:
    """Articles, claims, checks by verdict, sources by status, problem sources and the last crawl, as
    `citetrack stats --format json` prints them."""
    return to_jsonable(store_stats(session))
