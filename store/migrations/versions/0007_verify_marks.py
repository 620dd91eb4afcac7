"""Verify's marks and each claim's stored verdict, so neither ``verify`` nor ``?verdict=`` reads the whole store.

``sources.verify_marked_at`` (NULL: nothing to verify) marks a source whose citing pairs may need verifying; a
partial index holds the marked sources only. It is set for every source that today's rule would give pairs to
verify (a usable snapshot, made by an ``ok`` or ``redirected`` check and with text, other than the one a citing
pair was last verified against), so an upgraded store loses no pending work. ``claims.verdict`` is the best of
the claim's citations' latest verdicts (``unavailable`` for a citation never verified, and for a claim without
citations), indexed with the article order. Both are filled by one set-based UPDATE each.

Revision ID: 0007_verify_marks
Revises: 0006_feeds
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0007_verify_marks"
down_revision = "0006_feeds"
branch_labels = None
depends_on = None

MARK_INDEX = "ix_sources_verify_marked"
VERDICT_INDEX = "ix_claims_verdict"
MARK_COMMENT = "when its citing pairs last became worth verifying (new usable text, new pairs); NULL: nothing to do"
VERDICT_COMMENT = (
    "best of its citations' latest verdicts (supported | partial | not_found | contradicted | unavailable), "
    "kept by verify"
)
# The verdicts best first, the statuses whose snapshot is usable, spelled out: the store imports nothing from crawler/.
RANKED = ("supported", "partial", "not_found", "contradicted", "unavailable")
MISSING = "unavailable"
HEALTHY = ("ok", "redirected")

sources = sa.table("sources", sa.column("id", sa.Integer), sa.column("verify_marked_at", sa.DateTime(timezone=True)))
references = sa.table("references", sa.column("id", sa.Integer), sa.column("source_id", sa.Integer))
claims = sa.table("claims", sa.column("id", sa.Integer), sa.column("verdict", sa.String))
citations = sa.table(
    "citations", sa.column("id", sa.Integer), sa.column("claim_id", sa.Integer), sa.column("reference_id", sa.Integer)
)
checks = sa.table(
    "checks",
    sa.column("id", sa.Integer),
    sa.column("source_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("checked_at", sa.DateTime(timezone=True)),
    sa.column("snapshot_id", sa.Integer),
)
snapshots = sa.table("snapshots", sa.column("id", sa.Integer), sa.column("text", sa.Text))
verifications = sa.table(
    "verifications",
    sa.column("id", sa.Integer),
    sa.column("claim_id", sa.Integer),
    sa.column("reference_id", sa.Integer),
    sa.column("snapshot_id", sa.Integer),
    sa.column("verified_at", sa.DateTime(timezone=True)),
    sa.column("verdict", sa.String),
)


def upgrade() -> None:
    """Add the columns and their indexes, then mark the sources with work and store each claim's verdict."""
    marked_at = sa.Column("verify_marked_at", sa.DateTime(timezone=True), nullable=True, comment=MARK_COMMENT)
    op.add_column("sources", marked_at)
    op.add_column(
        "claims",
        sa.Column("verdict", sa.String(16), nullable=False, server_default=MISSING, comment=VERDICT_COMMENT),
    )
    op.execute(_mark_pending())
    op.execute(_store_verdicts())
    marked = sa.text("verify_marked_at IS NOT NULL")
    op.create_index(MARK_INDEX, "sources", ["id"], postgresql_where=marked, sqlite_where=marked)
    op.create_index(VERDICT_INDEX, "claims", ["verdict", "article_id", "index"])


def downgrade() -> None:
    """Drop the indexes and the columns (verify reads every pair again; the verdict filter computes it)."""
    op.drop_index(VERDICT_INDEX, table_name="claims")
    op.drop_index(MARK_INDEX, table_name="sources")
    # SQLite (3.35+) drops an unindexed column in place: no table rebuild, so no foreign key can cascade.
    op.drop_column("claims", "verdict")
    op.drop_column("sources", "verify_marked_at")


def _newest_verification(column: sa.ColumnClause) -> sa.ScalarSelect:
    """``column`` of a citation's newest verification (correlated to ``citations``)."""
    return (
        sa.select(column)
        .where(
            verifications.c.claim_id == citations.c.claim_id,
            verifications.c.reference_id == citations.c.reference_id,
        )
        .order_by(verifications.c.verified_at.desc(), verifications.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _mark_pending() -> sa.Update:
    """Mark each source with a usable snapshot that some citing pair was not last verified against."""
    usable = (
        sa.select(checks.c.snapshot_id)
        .join(snapshots, snapshots.c.id == checks.c.snapshot_id)
        .where(checks.c.source_id == sources.c.id, checks.c.status.in_(HEALTHY), snapshots.c.text != "")
        .order_by(checks.c.checked_at.desc(), checks.c.id.desc())
        .limit(1)
        .correlate(sources)  # also from inside the EXISTS below, two levels down
        .scalar_subquery()
    )
    stale = (
        sa.select(citations.c.id)
        .join(references, references.c.id == citations.c.reference_id)
        .where(references.c.source_id == sources.c.id)
        .where(_newest_verification(verifications.c.snapshot_id).is_distinct_from(usable))
        .exists()
    )
    now = sa.bindparam("now", datetime.now(timezone.utc), type_=sa.DateTime(timezone=True))
    return sources.update().where(usable.is_not(None), stale).values(verify_marked_at=now)


def _store_verdicts() -> sa.Update:
    """Store each verified claim's best verdict (a claim never verified keeps the default, ``unavailable``)."""
    latest = sa.func.coalesce(_newest_verification(verifications.c.verdict), MISSING)
    rank = sa.case({name: number for number, name in enumerate(RANKED)}, value=latest)
    per_claim = sa.select(sa.func.min(rank)).where(citations.c.claim_id == claims.c.id).scalar_subquery()
    verified = sa.select(verifications.c.id).where(verifications.c.claim_id == claims.c.id).exists()
    best = sa.case(dict(enumerate(RANKED)), value=per_claim, else_=MISSING)
    return claims.update().where(verified).values(verdict=best)
