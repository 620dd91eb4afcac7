"""One snapshot per (source, content hash), one verification per (claim, reference, snapshot).

Existing duplicates are folded first, keeping every piece of history that something points at:
- snapshots of one source with one content hash and the same text (two crawls at once) become the oldest row;
  the checks and verifications of the others are moved onto it (a verification already there for the same
  pair wins if newer);
- a re-extraction (same body, different text) stays a row of its own, for the verifications whose offsets
  point into its text, but gives up the content hash (NULL) to the newest extraction, which keeps it and
  receives every check of that body, so the latest check leads to the latest text;
- verifications of one claim, reference and snapshot become the newest one.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SNAPSHOT_KEY = "uq_snapshots_source_id_content_hash"
VERIFICATION_KEY = "uq_verifications_claim_id_reference_id_snapshot_id"

snapshots = sa.table(
    "snapshots", sa.column("id"), sa.column("source_id"), sa.column("content_hash"), sa.column("text")
)
checks = sa.table("checks", sa.column("id"), sa.column("snapshot_id"))
verifications = sa.table(
    "verifications", sa.column("id"), sa.column("claim_id"), sa.column("reference_id"), sa.column("snapshot_id"),
    sa.column("verified_at"),
)  # fmt: skip


def upgrade() -> None:
    """Fold duplicate snapshots and verifications, then add the two unique constraints."""
    connection = op.get_bind()
    _fold_snapshots(connection)
    _fold_verifications(connection)
    with op.batch_alter_table("snapshots") as batch:
        batch.create_unique_constraint(SNAPSHOT_KEY, ["source_id", "content_hash"])
    with op.batch_alter_table("verifications") as batch:
        batch.create_unique_constraint(VERIFICATION_KEY, ["claim_id", "reference_id", "snapshot_id"])


def downgrade() -> None:
    """Drop the two unique constraints (folded rows stay folded)."""
    with op.batch_alter_table("verifications") as batch:
        batch.drop_constraint(VERIFICATION_KEY, type_="unique")
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_constraint(SNAPSHOT_KEY, type_="unique")


def _fold_snapshots(connection: sa.Connection) -> None:
    duplicated = (
        sa.select(snapshots.c.source_id, snapshots.c.content_hash)
        .where(snapshots.c.content_hash.is_not(None))
        .group_by(snapshots.c.source_id, snapshots.c.content_hash)
        .having(sa.func.count() > 1)
    )
    for source_id, content_hash in connection.execute(duplicated).all():
        rows = connection.execute(
            sa.select(snapshots.c.id, snapshots.c.text)
            .where(snapshots.c.source_id == source_id, snapshots.c.content_hash == content_hash)
            .order_by(snapshots.c.id)
        ).all()
        by_text: dict[str | None, list[int]] = defaultdict(list)
        for snapshot_id, snapshot_text in rows:
            by_text[snapshot_text].append(snapshot_id)
        newest_text = rows[-1].text
        for text_value, ids in by_text.items():
            keeper, others = ids[0], ids[1:]
            if others:
                # Duplicate verifications this makes are folded by _fold_verifications.
                connection.execute(
                    sa.update(verifications).where(verifications.c.snapshot_id.in_(others)).values(snapshot_id=keeper)
                )
                connection.execute(sa.update(checks).where(checks.c.snapshot_id.in_(others)).values(snapshot_id=keeper))
                connection.execute(sa.delete(snapshots).where(snapshots.c.id.in_(others)))
            if text_value != newest_text:
                connection.execute(sa.update(snapshots).where(snapshots.c.id == keeper).values(content_hash=None))
        current = by_text[newest_text][0]
        older = [ids[0] for text_value, ids in by_text.items() if text_value != newest_text]
        if older:
            connection.execute(sa.update(checks).where(checks.c.snapshot_id.in_(older)).values(snapshot_id=current))


def _fold_verifications(connection: sa.Connection) -> None:
    key = (verifications.c.claim_id, verifications.c.reference_id, verifications.c.snapshot_id)
    duplicated = (
        sa.select(*key).where(verifications.c.snapshot_id.is_not(None)).group_by(*key).having(sa.func.count() > 1)
    )
    for claim_id, reference_id, snapshot_id in connection.execute(duplicated).all():
        ids = connection.scalars(
            sa.select(verifications.c.id)
            .where(
                verifications.c.claim_id == claim_id,
                verifications.c.reference_id == reference_id,
                verifications.c.snapshot_id == snapshot_id,
            )
            .order_by(verifications.c.verified_at.desc(), verifications.c.id.desc())
        ).all()
        connection.execute(sa.delete(verifications).where(verifications.c.id.in_(ids[1:])))
