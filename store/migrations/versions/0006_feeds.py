"""The feeds, sitemaps and listing pages that ``citetrack discover`` reads for new and changed articles (issue 10).

A new table only: no existing row is touched.

Revision ID: 0006_feeds
Revises: 0003_ref_archives_conflicts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_feeds"
down_revision = "0005_scale_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``feeds``."""
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("kind", sa.String(16), nullable=True, comment="rss | atom | sitemap | listing; NULL until detected"),
        sa.Column(
            "kind_given", sa.Boolean(), nullable=False, comment="kind was given (feeds add --kind), not detected"
        ),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_http_status", sa.Integer(), nullable=True),
        sa.Column("entries", sa.Integer(), nullable=True, comment="article links found at the last read"),
        sa.Column("etag", sa.String(512), nullable=True),
        sa.Column("last_modified", sa.String(128), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True, comment="why the last read failed; NULL when it worked"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeds")),
        sa.UniqueConstraint("url", name=op.f("uq_feeds_url")),
    )


def downgrade() -> None:
    """Drop ``feeds`` (the registered feeds are lost)."""
    op.drop_table("feeds")
