"""Typed models: articles, their references and claims, the sources they cite, and what was found."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, column, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.base import Base, utcnow
from store import search

# The store imports only itself and SQLAlchemy, so the verdict names (crawler.enums.Verdict) are spelled out here.
VERDICT_COMMENT = "supported | partial | not_found | contradicted | unavailable"
# A claim never verified (or whose sources gave no usable text) has no verdict: ``unavailable``.
NO_VERDICT = "unavailable"
# The verdicts of a source that backs a claim (crawler.enums.SUPPORTING): ``broken`` counts the claims they held.
SUPPORTING_VERDICTS = ("partial", "supported")
SUPPORTING_WHERE = column("verdict").in_(SUPPORTING_VERDICTS)
CONFLICTS_COMMENT = (
    'where a contradicting source says otherwise: [{"kind", "claim": {"text", "start", "end"}, '
    '"source": {"text", "start", "end"}}]'
)


class Article(Base):
    """One version of an ingested article; re-ingesting identical text finds the same row."""

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("origin", "content_hash"),
        UniqueConstraint("origin", "version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(2048), comment="URL, or absolute path of the ingested file")
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64), comment="sha256 of the article text")
    url: Mapped[str | None] = mapped_column(String(2048))
    title: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text, comment="plain text the claim offsets refer to")

    references: Mapped[list[Reference]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="Reference.number"
    )
    claims: Mapped[list[Claim]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="Claim.index"
    )


class Source(Base):
    """One distinct canonical URL, shared by every article that cites it."""

    __tablename__ = "sources"
    # ``crawl --due`` and ``citetrack due`` read the due sources in this order, a page at a time (keyset).
    __table_args__ = (
        Index("ix_sources_next_check_at", "next_check_at", "id"),
        Index(None, "last_checked_at"),
        Index(None, "status", "id"),
        # ``verify`` reads the marked sources by id: a partial index holds only them, so it stays small.
        Index(
            "ix_sources_verify_marked",
            "id",
            postgresql_where=text("verify_marked_at IS NOT NULL"),
            sqlite_where=text("verify_marked_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True, comment="canonical URL")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(32), default="pending", comment="latest health status")
    status_at: Mapped[datetime | None]
    last_checked_at: Mapped[datetime | None]
    next_check_at: Mapped[datetime] = mapped_column(default=utcnow, comment="when the due policy checks it next")
    replacement_url: Mapped[str | None] = mapped_column(String(2048), comment="an editor's fix")
    editor_note: Mapped[str | None] = mapped_column(Text)
    verify_marked_at: Mapped[datetime | None] = mapped_column(
        comment="when its citing pairs last became worth verifying (new usable text, new pairs); NULL: nothing to do"
    )

    references: Mapped[list[Reference]] = relationship(back_populates="source")
    snapshots: Mapped[list[Snapshot]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="Snapshot.fetched_at"
    )


class Reference(Base):
    """An article's numbered source entry (number, outlet, title, link), with what the citation says besides.

    ``label`` and ``list_group`` are the marker as shown and the list the entry is in (``group`` in ingest's
    output: GROUP is an SQL keyword); ``archive_url`` is an archived copy the citation names, captured at
    ``archive_captured_at``; the identifiers are the work's DOI, PMID, PMCID, arXiv id and ISBN.
    """

    __tablename__ = "references"
    # (source_id, id): ``broken`` goes from a source to its references' ids in the index alone.
    __table_args__ = (UniqueConstraint("article_id", "number"), Index(None, "source_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    number: Mapped[int]
    outlet: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2048), comment="the link as written; NULL = unresolved")
    raw_text: Mapped[str] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    label: Mapped[str | None] = mapped_column(Text, comment="the marker as the page shows it, when not the number")
    list_group: Mapped[str | None] = mapped_column(Text, comment="the list the entry is in (Notes, References)")
    archive_url: Mapped[str | None] = mapped_column(Text, comment="an archived copy the citation names")
    archive_captured_at: Mapped[datetime | None]
    accessed_at: Mapped[datetime | None] = mapped_column(comment="when the citing author retrieved the page")
    published_at: Mapped[datetime | None] = mapped_column(comment="when the cited work appeared")
    doi: Mapped[str | None] = mapped_column(Text)
    pmid: Mapped[str | None] = mapped_column(Text)
    pmcid: Mapped[str | None] = mapped_column(Text)
    arxiv: Mapped[str | None] = mapped_column(Text)
    isbn: Mapped[str | None] = mapped_column(Text)

    article: Mapped[Article] = relationship(back_populates="references")
    source: Mapped[Source | None] = relationship(back_populates="references")


class Claim(Base):
    """A sentence of an article that carries citation markers (markers removed).

    Its text is searchable through a full-text index (``store.search``): PostgreSQL's ``to_tsvector`` in a GIN
    index, SQLite's FTS5 table ``claims_fts`` kept in step by triggers.
    """

    __tablename__ = "claims"
    # ``/api/claims?verdict=`` reads one verdict's claims in article order, a page at a time (keyset).
    __table_args__ = (UniqueConstraint("article_id", "index"), Index(None, "verdict", "article_id", "index"))

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(comment="ordinal in the article, from 1")
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(comment="offset of the sentence in Article.text")
    end: Mapped[int]
    quotes: Mapped[list[Any]] = mapped_column(default=list, comment='[{"text", "start", "end"}] in the claim text')
    verdict: Mapped[str] = mapped_column(
        String(16),
        server_default=NO_VERDICT,
        comment="best of its citations' latest verdicts (" + VERDICT_COMMENT + "), kept by verify",
    )

    article: Mapped[Article] = relationship(back_populates="claims")
    citations: Mapped[list[Citation]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="Citation.number"
    )


class Citation(Base):
    """Claim ↔ reference link; ``reference_id`` is NULL for a dangling number."""

    __tablename__ = "citations"
    # (reference_id, claim_id): ``broken`` goes from a reference to its citing claims' ids in the index alone.
    __table_args__ = (UniqueConstraint("claim_id", "number"), Index(None, "reference_id", "claim_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    number: Mapped[int]
    reference_id: Mapped[int | None] = mapped_column(ForeignKey("references.id", ondelete="CASCADE"))

    claim: Mapped[Claim] = relationship(back_populates="citations")
    reference: Mapped[Reference | None] = relationship()


class Body(Base):
    """A raw response body, gzip-compressed and stored once per content hash."""

    __tablename__ = "bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(comment="uncompressed size in bytes")
    data: Mapped[bytes] = mapped_column(LargeBinary, comment="gzip-compressed body")


class Snapshot(Base):
    """One fetched version of a source, stored once per content hash; its text is never overwritten.

    A re-extraction of the same body (``citetrack extract``) is a row of its own that takes the content hash
    over; the older extraction keeps its text (for the verifications that point into it) with a NULL hash.

    Each ``fetches`` entry also keeps, since WARC export, the ``sha256`` of the body received, the exchange
    (``method``, ``request_headers``, ``ip_address``, ``protocol``, ``response_headers``: ``[name, value]``
    pairs) and the ``redirects`` before it, each hop an exchange with its ``url`` and ``status``; older rows
    have none of these.
    """

    __tablename__ = "snapshots"
    __table_args__ = (
        Index(None, "source_id", "fetched_at"),
        Index(None, "fetched_at"),
        UniqueConstraint("source_id", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    http_status: Mapped[int | None]
    final_url: Mapped[str | None] = mapped_column(String(2048))
    redirect_chain: Mapped[list[Any]] = mapped_column(default=list, comment='[{"status", "url"}] hop by hop')
    fetches: Mapped[list[Any]] = mapped_column(
        default=list, comment='every fetch behind this version (landing page, then its PDF): [{"url", "status", "content_type"}]'
    )
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    content_type: Mapped[str | None] = mapped_column(String(255))
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    text: Mapped[str | None] = mapped_column(Text, comment="extracted text; evidence offsets refer to it")
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    extractor: Mapped[str | None] = mapped_column(String(64))
    extracted_at: Mapped[datetime | None]

    source: Mapped[Source] = relationship(back_populates="snapshots")
    body: Mapped[Body | None] = relationship()


class Check(Base):
    """One fetch attempt of a source and the health status it led to."""

    __tablename__ = "checks"
    __table_args__ = (Index(None, "source_id", "checked_at"), Index(None, "checked_at"), Index(None, "snapshot_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(32), comment="fetched | unchanged | failed")
    status: Mapped[str] = mapped_column(String(32), comment="health status: ok, dead, soft_404, …")
    http_status: Mapped[int | None]
    final_url: Mapped[str | None] = mapped_column(String(2048))
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id", ondelete="SET NULL"))


class Verification(Base):
    """A claim checked against one cited reference, as of one snapshot."""

    __tablename__ = "verifications"
    __table_args__ = (
        Index(None, "claim_id", "reference_id", "verified_at"),
        # Whether a source ever supported a claim (``broken``), answered in the index alone.
        Index(
            "ix_verifications_supporting",
            "claim_id",
            "reference_id",
            postgresql_where=SUPPORTING_WHERE,
            sqlite_where=SUPPORTING_WHERE,
        ),
        UniqueConstraint("claim_id", "reference_id", "snapshot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    reference_id: Mapped[int] = mapped_column(ForeignKey("references.id", ondelete="CASCADE"))
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id", ondelete="CASCADE"), index=True)
    verified_at: Mapped[datetime] = mapped_column(default=utcnow)
    verdict: Mapped[str] = mapped_column(String(16), comment=VERDICT_COMMENT)
    score: Mapped[float] = mapped_column(default=0.0)
    evidence: Mapped[list[Any]] = mapped_column(default=list, comment='[{"text", "start", "end", "score"}]')
    quotes: Mapped[list[Any]] = mapped_column(default=list, comment='[{"text", "found", "score", "start", "end"}]')
    conflicts: Mapped[list[Any]] = mapped_column(default=list, server_default="[]", comment=CONFLICTS_COMMENT)


class Flag(Base):
    """A problem with a source for editors, confirmed over several checks."""

    __tablename__ = "flags"
    __table_args__ = (Index(None, "source_id", "resolved_at"), Index(None, "resolved_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(32))
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    checks: Mapped[int] = mapped_column(default=1, comment="consecutive checks that saw the problem")
    confirmed: Mapped[bool] = mapped_column(default=False)
    confirmed_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    archive_url: Mapped[str | None] = mapped_column(String(2048))


class Feed(Base):
    """A publisher's feed (RSS/Atom), sitemap or listing page that ``citetrack discover`` reads for articles.

    ``etag`` and ``last_modified`` make the next read conditional; they are kept only after a run in which every
    article the feed listed was fetched and ingested, so a failed article is fetched again next time.
    """

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    kind: Mapped[str | None] = mapped_column(String(16), comment="rss | atom | sitemap | listing; NULL until detected")
    kind_given: Mapped[bool] = mapped_column(default=False, comment="kind was given (feeds add --kind), not detected")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_checked_at: Mapped[datetime | None]
    last_http_status: Mapped[int | None]
    entries: Mapped[int | None] = mapped_column(comment="article links found at the last read")
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    last_error: Mapped[str | None] = mapped_column(Text, comment="why the last read failed; NULL when it worked")


search.install(Claim.__table__)  # type: ignore[arg-type]
