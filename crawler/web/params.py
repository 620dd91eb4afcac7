"""Validated request parameters shared by the API and the pages: ids, pagination, filters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query

from crawler.enums import Verdict
from crawler.report.json import to_jsonable
from crawler.report.summary import Only
from store.browse import Page

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


def offset(page: int, per_page: int) -> int:
    """Return the row offset of ``page``."""
    return (page - 1) * per_page


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
