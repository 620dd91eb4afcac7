"""``citetrack ingest``'s work: read an article from a file or URL, parse it, and store it in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from crawler.exceptions import InputTooLarge, UsageError
from crawler.fetch import fetch_url
from crawler.ingest import ParsedArticle, parse_article
from crawler.netguard import AddressPolicy
from crawler.urls import canonicalize_url, is_http_url
from store.base import utcnow
from store.crawl import make_due
from store.models import Article, Citation, Claim, Reference
from store.verify import mark_sources
from store.queries import get_or_create_source, text_hash


@dataclass(frozen=True)
class ArticleInput:
    """An article's bytes and where they came from."""

    body: bytes
    origin: str
    content_type: str | None
    url: str | None
    filename: str | None


def ingest(
    factory: sessionmaker[Session], article: ArticleInput, max_bytes: int, inline_links: bool = False
) -> tuple[dict[str, Any], ParsedArticle]:
    """Parse and store one article; return the summary (a contract: README, ``ingest --format json``) and the parse.

    With ``inline_links`` an HTML article's outbound links are its sources even if it has numbered citations.
    """
    parsed = parse_article(
        article.body, content_type=article.content_type, filename=article.filename, url=article.url,
        max_bytes=max_bytes, inline_links=inline_links,
    )  # fmt: skip
    with factory.begin() as session:
        stored, created = store_article(session, parsed, article.origin)
        dangling = sorted({c.number for claim in stored.claims for c in claim.citations if c.reference is None})
        summary = {
            "article_id": stored.id,
            "title": stored.title,
            "claims": len(stored.claims),
            "references": len(stored.references),
            "version": stored.version,
            "created": created,
            "unresolved": [r.number for r in stored.references if r.url is None],
            "dangling_citations": dangling,
            "warnings": list(parsed.warnings),
            "parsed_references": [reference.as_dict() for reference in parsed.references],
        }
    return summary, parsed


def read_article(source: str, *, policy: AddressPolicy, user_agent: str, max_bytes: int) -> ArticleInput:
    """Read an article from a path or an http(s) URL (fetched under ``policy``), refusing one over ``max_bytes``."""
    if is_http_url(source):
        page = fetch_url(source, policy=policy, max_bytes=max_bytes, user_agent=user_agent)
        return fetched_article(page.body, page.final_url, page.headers.get("content-type"))
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"{source}: no such file (give a path to an .html/.txt file or an http(s) URL)")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputTooLarge(f"{path}: {size:,} bytes is over the {max_bytes:,}-byte limit for an article")
    return ArticleInput(path.read_bytes(), str(path.resolve()), None, None, path.name)


def fetched_article(body: bytes, final_url: str, content_type: str | None) -> ArticleInput:
    """Return a page fetched from the web as an article to ingest: its origin is the URL it was finally read at."""
    return ArticleInput(body, final_url, content_type or "text/html", final_url, None)


def store_article(session: Session, parsed: ParsedArticle, origin: str) -> tuple[Article, bool]:
    """Store a parsed article; return ``(article, created)``.

    The same text from the same origin is found again (``created`` is False); changed text from a known
    origin becomes a new version, so claims and verifications of earlier versions keep their history. The
    sources of a new or changed article are due at once.
    """
    digest = text_hash(parsed.text)
    existing = session.scalars(
        select(Article).where(Article.origin == origin, Article.content_hash == digest)
    ).one_or_none()
    if existing is not None:
        return existing, False
    latest = session.scalar(select(func.max(Article.version)).where(Article.origin == origin))
    article = Article(
        origin=origin,
        version=(latest or 0) + 1,
        content_hash=digest,
        url=parsed.url,
        title=parsed.title,
        byline=parsed.byline,
        publisher=parsed.publisher,
        published_at=parsed.published,
        text=parsed.text,
    )
    session.add(article)
    references = {}
    for parsed_reference in parsed.references:
        reference = Reference(
            number=parsed_reference.number,
            outlet=parsed_reference.outlet,
            title=parsed_reference.title,
            url=parsed_reference.url,
            raw_text=parsed_reference.raw_text,
            label=parsed_reference.label,
            list_group=parsed_reference.group,
            archive_url=parsed_reference.archive_url,
            archive_captured_at=parsed_reference.archive_captured_at,
            accessed_at=parsed_reference.accessed_at,
            published_at=parsed_reference.published_at,
            doi=parsed_reference.doi,
            pmid=parsed_reference.pmid,
            pmcid=parsed_reference.pmcid,
            arxiv=parsed_reference.arxiv,
            isbn=parsed_reference.isbn,
        )
        article.references.append(reference)
        if parsed_reference.url:
            reference.source = get_or_create_source(session, canonicalize_url(parsed_reference.url))
        references[reference.number] = reference
    for parsed_claim in parsed.claims:
        claim = Claim(
            index=parsed_claim.index,
            text=parsed_claim.text,
            start=parsed_claim.start,
            end=parsed_claim.end,
            quotes=[quote.as_dict() for quote in parsed_claim.quotes],
        )
        claim.citations = [Citation(number=n, reference=references.get(n)) for n in parsed_claim.citations]
        article.claims.append(claim)
    session.flush()
    # The due policy: a new or changed article's sources are checked by the next ``crawl --due``; their new
    # pairs are verified by the next ``verify`` (against the text the sources already have, if any).
    cited = [reference.source_id for reference in article.references if reference.source_id]
    make_due(session, cited, utcnow())
    mark_sources(session, cited)
    return article, True
