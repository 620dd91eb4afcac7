"""Indexes for the store at newsroom scale (issue 16), and the claims' full-text search index.

- ``checks(snapshot_id)``: verify's latest usable snapshot of a source joins checks on it (a scan without it);
  ``checks(checked_at)``: verify finds the checks newer than a run, and the crawl's drift detection;
  ``snapshots(fetched_at)``, ``sources(last_checked_at)``: the crawl's due selection;
  ``sources(status, id)``: the sources list filtered by status, one page in id order;
  ``flags(resolved_at)``: the open problems of ``broken``.
- The claims' text search: on PostgreSQL a GIN index on ``to_tsvector('simple', text)``; on SQLite the FTS5
  table ``claims_fts`` (external content: the claims table), filled from the existing claims and kept in step
  by triggers.

Only indexes are added: no row is written or moved (the FTS5 table holds the index of the claims' text).

Revision ID: 0005_scale_indexes
Revises: 0003_ref_archives_conflicts
"""

from __future__ import annotations

from alembic import op

from store import search

revision = "0005_scale_indexes"
down_revision = "0004_due_policy"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_checks_snapshot_id", "checks", ["snapshot_id"]),
    ("ix_checks_checked_at", "checks", ["checked_at"]),
    ("ix_snapshots_fetched_at", "snapshots", ["fetched_at"]),
    ("ix_sources_last_checked_at", "sources", ["last_checked_at"]),
    ("ix_sources_status", "sources", ["status", "id"]),
    ("ix_flags_resolved_at", "flags", ["resolved_at"]),
)


def upgrade() -> None:
    """Create the indexes and the claims' search index (filled from the stored claims)."""
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(search.POSTGRESQL_DDL)
    elif dialect == "sqlite":
        for statement in (*search.SQLITE_DDL, search.SQLITE_REBUILD):
            op.execute(statement)


def downgrade() -> None:
    """Drop them again (no data is lost: they only index it)."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.drop_index(search.INDEX_NAME, "claims")
    elif dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {search.FTS_TABLE}_{trigger}")
        op.execute(search.SQLITE_DROP)
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table)
