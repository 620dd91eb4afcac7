"""Covering indexes for ``broken``'s order at newsroom scale (issue 16): the claims each flagged source costs.

- ``references(source_id, id)`` replaces ``references(source_id)``, and ``citations(reference_id, claim_id)``
  replaces ``citations(reference_id)``: from a source to its citing claims' ids in the indexes alone;
- ``verifications(claim_id, reference_id) WHERE verdict IN ('partial', 'supported')``: whether the source ever
  supported the claim, in the index alone.

Only indexes change: no row is written or moved.

Revision ID: 0008_scale_more
Revises: 0007_verify_marks
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_scale_more"
down_revision = "0007_verify_marks"
branch_labels = None
depends_on = None

# (name, table, columns before, columns after): the same name, more columns.
WIDENED = (
    ("ix_references_source_id", "references", ["source_id"], ["source_id", "id"]),
    ("ix_citations_reference_id", "citations", ["reference_id"], ["reference_id", "claim_id"]),
)
SUPPORTING = "ix_verifications_supporting"
SUPPORTING_VERDICTS = ("partial", "supported")  # store.models.SUPPORTING_VERDICTS at this revision


def upgrade() -> None:
    """Widen the two indexes and add the supporting verifications' index."""
    for name, table, _, after in WIDENED:
        op.drop_index(name, table)
        op.create_index(name, table, after)
    where = sa.column("verdict").in_(SUPPORTING_VERDICTS)
    op.create_index(
        SUPPORTING, "verifications", ["claim_id", "reference_id"], postgresql_where=where, sqlite_where=where
    )


def downgrade() -> None:
    """Back to the single-column indexes (no data is lost: they only index it)."""
    op.drop_index(SUPPORTING, "verifications")
    for name, table, before, _ in reversed(WIDENED):
        op.drop_index(name, table)
        op.create_index(name, table, before)
