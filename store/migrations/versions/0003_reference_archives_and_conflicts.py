"""What a citation says besides its link, and where a contradicting source says otherwise.

- ``references`` gains the fields ingest parses per entry (issue 15): the marker's ``label``, the list it is in
  (``list_group``: GROUP is an SQL keyword), the archived copy the citation names and its capture time, the
  access and publication dates, and the DOI, PMID, PMCID, arXiv id and ISBN. All nullable; existing references
  keep NULL (ingest only fills them for new articles).
- ``verifications`` gains ``conflicts`` (issue 9): the conflicts of a ``contradicted`` verdict, ``[]`` for every
  existing row; the verdict column's comment names the new verdict.

Every column is added in place (no table rebuild), so no row moves and no foreign key is touched.

Revision ID: 0003_ref_archives_conflicts
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Alembic keeps the revision in a VARCHAR(32): the id must fit.
revision = "0003_ref_archives_conflicts"
down_revision = "0002"
branch_labels = None
depends_on = None


def _reference_columns() -> list[sa.Column]:
    """Return the new columns of ``references`` (new objects each time: a column belongs to one table)."""
    return [
        sa.Column("label", sa.Text(), nullable=True, comment="the marker as the page shows it, when not the number"),
        sa.Column("list_group", sa.Text(), nullable=True, comment="the list the entry is in (Notes, References)"),
        sa.Column("archive_url", sa.Text(), nullable=True, comment="an archived copy the citation names"),
        sa.Column("archive_captured_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "accessed_at", sa.DateTime(timezone=True), nullable=True, comment="when the citing author retrieved the page"
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True, comment="when the cited work appeared"),
        sa.Column("doi", sa.Text(), nullable=True),
        sa.Column("pmid", sa.Text(), nullable=True),
        sa.Column("pmcid", sa.Text(), nullable=True),
        sa.Column("arxiv", sa.Text(), nullable=True),
        sa.Column("isbn", sa.Text(), nullable=True),
    ]


CONFLICTS_COMMENT = (
    'where a contradicting source says otherwise: [{"kind", "claim": {"text", "start", "end"}, '
    '"source": {"text", "start", "end"}}]'
)
OLD_VERDICT_COMMENT = "supported | partial | not_found | unavailable"
NEW_VERDICT_COMMENT = "supported | partial | not_found | contradicted | unavailable"


def upgrade() -> None:
    """Add the reference columns and ``verifications.conflicts`` (``[]`` for existing rows)."""
    for column in _reference_columns():
        op.add_column("references", column)
    conflicts = sa.Column("conflicts", sa.JSON(), nullable=False, server_default="[]", comment=CONFLICTS_COMMENT)
    op.add_column("verifications", conflicts)
    _comment_verdict(NEW_VERDICT_COMMENT, OLD_VERDICT_COMMENT)


def downgrade() -> None:
    """Drop the added columns (what they held is lost)."""
    _comment_verdict(OLD_VERDICT_COMMENT, NEW_VERDICT_COMMENT)
    with op.batch_alter_table("verifications") as batch:
        batch.drop_column("conflicts")
    with op.batch_alter_table("references") as batch:
        for column in reversed(_reference_columns()):
            batch.drop_column(column.name)


def _comment_verdict(comment: str, existing: str) -> None:
    """Set the verdict column's comment where the database keeps comments (PostgreSQL; SQLite has none)."""
    if op.get_bind().dialect.supports_comments:
        op.alter_column(
            "verifications", "verdict", existing_type=sa.String(16), existing_nullable=False, comment=comment,
            existing_comment=existing,
        )  # fmt: skip
