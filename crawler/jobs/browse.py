"""Claims as the web lists them: each with its best verdict over its citations, filtered by verdict or text."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crawler.enums import Verdict
from store import browse
from store.browse import Page


def list_claims(
    session: Session,
    offset: int,
    limit: int,
    *,
    verdict: str | None,
    text: str | None,
    article_id: int | None,
    after: int | None = None,
) -> Page:
    """Return claims (in article order) whose best verdict is ``verdict`` and whose text contains ``text``.

    The page, the best verdicts and the filters are all computed in SQL (``store.browse.list_claims``).
    """
    return browse.list_claims(
        session,
        offset,
        limit,
        missing=Verdict.UNAVAILABLE,
        verdict=verdict,
        text=text,
        article_id=article_id,
        after=after,
    )
