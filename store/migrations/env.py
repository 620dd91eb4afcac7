"""Alembic environment: migrate the connection ``store.schema`` hands over (no alembic.ini, no URL here)."""

from __future__ import annotations

from alembic import context

from store.base import Base
from store.schema import include_object

connection = context.config.attributes["connection"]
# SQLite cannot ALTER a constraint: batch mode rebuilds the table instead (store.schema turns foreign keys off
# around it, or dropping the old table would cascade into the rows that point at it).
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
