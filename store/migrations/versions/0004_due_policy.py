"""The due policy: each source's next check time, indexed for ``crawl --due`` and ``citetrack due``.

``sources.next_check_at`` (NOT NULL) is filled for existing rows as the default policy would have set it
(``crawler/health/schedule.py``): a source never checked is due at once (its ``created_at``); one whose latest
status is healthy (``ok``, ``redirected``, ``drifted``) is due 7 days after its last check; any other status is
an open problem, due 3 days after (the confirmation spacing). A store run with other settings is brought in
line by each source's next check. SQLite has no ALTER COLUMN: the NOT NULL is set in batch mode (the table is
rebuilt, rows and ids kept).

Revision ID: 0004_due_policy
Revises: 0003_ref_archives_conflicts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_due_policy"
down_revision = "0003_ref_archives_conflicts"
branch_labels = None
depends_on = None

COMMENT = "when the due policy checks it next"
INDEX = "ix_sources_next_check_at"
# The default policy's intervals and the statuses re-checked on the healthy interval, spelled out: the store
# imports nothing from crawler/.
RECHECK_DAYS = 7
SPACING_DAYS = 3
ON_RECHECK = ("ok", "redirected", "drifted")


def upgrade() -> None:
    """Add ``next_check_at``, fill it for every source, make it NOT NULL and index it with the id."""
    op.add_column("sources", sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=True, comment=COMMENT))
    op.execute(_backfill(op.get_bind().dialect.name))
    with op.batch_alter_table("sources") as batch:
        batch.alter_column(
            "next_check_at", existing_type=sa.DateTime(timezone=True), nullable=False, existing_comment=COMMENT
        )
    op.create_index(INDEX, "sources", ["next_check_at", "id"])


def downgrade() -> None:
    """Drop the index and the column (the schedule is lost; every source is judged by its last check again)."""
    op.drop_index(INDEX, table_name="sources")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("next_check_at")


def _backfill(dialect: str) -> sa.TextClause:
    """Return the UPDATE that sets each source's next check from its last check and status."""
    healthy = ", ".join(f"'{status}'" for status in ON_RECHECK)
    if dialect == "sqlite":
        # Written in SQLAlchemy's SQLite format (microseconds always present) so keyset comparisons of the
        # stored text order these values with those SQLAlchemy writes.
        later = "strftime('%Y-%m-%d %H:%M:%f000', last_checked_at, '+{days} days')"
    else:
        later = "last_checked_at + interval '{days} days'"
    return sa.text(
        "UPDATE sources SET next_check_at = CASE "
        "WHEN last_checked_at IS NULL THEN created_at "
        f"WHEN status IN ({healthy}) THEN {later.format(days=RECHECK_DAYS)} "
        f"ELSE {later.format(days=SPACING_DAYS)} END"
    )
