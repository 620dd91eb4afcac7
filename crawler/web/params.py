"""Validated request parameters shared by the API and the pages: ids, pagination, filters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import BeforeValidator

from crawler.enums import Verdict
from crawler.report.json import to_jsonable
from crawler.report.summary import Only
from store.browse import Page
from store.overview import ArticleFilter

MAX_ID = 2**31 - 1  # PostgreSQL ``integer``: a larger id could never exist, so it is a bad request
MAX_PAGE = 100_000
MAX_PER_PAGE = 100

ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="article id")]
SourceId = Annotated[int, Path(ge=1, le=MAX_ID, description="source id")]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page number, from 1")]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description=f"rows per page (at most {MAX_PER_PAGE})")]
VerdictFilter = Annotated[Verdict | None, Query(description="the claim's best verdict over its citations")]
ReportOnly = Annotated[
    Only, Query(description="unsupported, unavailable or contradicted claims only (the summary counts them all)")
]
After = Annotated[
    int | None,
    Query(ge=1, le=MAX_ID, description="keyset cursor: continue after this row (the previous page's `next_after`)"),
]
OptionalArticleId = Annotated[int | None, Query(ge=1, le=MAX_ID, description="only this article")]
# PostgreSQL refuses NUL in text, so a NUL in a search is a bad request rather than a server error.
SearchText = Annotated[
    str | None, Query(min_length=1, max_length=200, pattern=r"^[^\x00]*$", description="words the claim contains")
]
# The claim search form sends empty fields for "any": the page accepts them, the API does not.
FormText = Annotated[str, Query(max_length=200, pattern=r"^[^\x00]*$", description="words the claim contains")]
FormVerdict = Annotated[
    str, Query(pattern=rf"^({'|'.join(Verdict)})?$", description="verdict, empty for any")
]
SourceStatus = Annotated[
    str | None, Query(min_length=1, max_length=32, pattern=r"^[a-z_0-9]+$", description="health status, e.g. dead")
]
# The article list's overview: sorting and filters (the page's form sends empty fields for "any").
ArticleOrder = Annotated[
    Literal["newest", "problems"],
    Query(description="newest first, or most problem sources first (confirmed ones, then any open one)"),
]
OutletFilter = Annotated[
    str | None, Query(min_length=1, max_length=200, pattern=r"^[^\x00]*$", description="the publisher, any case")
]
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """Refuse anything but ``YYYY-MM-DD`` before pydantic reads it (it would take ``0`` for a Unix time)."""
    if not (isinstance(value, str) and ISO_DAY.fullmatch(value)):
        raise ValueError("expected a day as YYYY-MM-DD")
    return value


IsoDay = Annotated[date, BeforeValidator(_iso_day)]
PublishedFrom = Annotated[IsoDay | None, Query(description="only articles published on or after this day (UTC)")]
PublishedUntil = Annotated[IsoDay | None, Query(description="only articles published on or before this day (UTC)")]
FormOutlet = Annotated[str, Query(max_length=200, pattern=r"^[^\x00]*$", description="the publisher, empty for any")]
FormDate = Annotated[str, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="YYYY-MM-DD, empty for any")]


def offset(page: int, per_page: int) -> int:
    """Return the row offset of ``page``."""
    return (page - 1) * per_page


def article_filter(outlet: str | None, published_from: date | None, published_until: date | None) -> ArticleFilter:
    """Return the article list's filter: the outlet, and publication days from and until (both included, UTC)."""
    since = datetime.combine(published_from, time(), UTC) if published_from else None
    until = datetime.combine(published_until, time.max, UTC) if published_until else None
    return ArticleFilter(outlet or None, since, until)


def form_day(text: str) -> date | None:
    """Return the day a form field holds (``YYYY-MM-DD``); ``None`` when it is empty or names no day (2026-02-31)."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def envelope(rows: Page, page: int, per_page: int) -> dict[str, Any]:
    """Return a page of rows (JSON-ready) with the numbers a client needs to fetch the next one.

    ``next_after`` is the cursor of the next page (``after=``; null on the last page): it costs the same at
    any depth, where a deep ``page`` makes the database skip every row before it. ``total_exact`` is false when
    ``total`` is a lower bound (a filtered count stops at ``store.browse.COUNT_CAP``).
    """
    return to_jsonable(
        {
            "items": rows.items,
            "page": page,
            "per_page": per_page,
            "total": rows.total,
            "pages": -(-rows.total // per_page),
            "next_after": rows.next_after,
            "total_exact": rows.total_exact,
        }
    )
