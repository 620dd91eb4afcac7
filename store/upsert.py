"""INSERT … ON CONFLICT for the store's two backends, so concurrent writers cannot make duplicate rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.errors import StoreUnusable

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def upsert(session: Session, model: Any) -> Any:
    """Return the dialect's ``insert(model)``, which has ``on_conflict_do_nothing`` and ``on_conflict_do_update``."""
    dialect = session.get_bind().dialect.name
    if dialect not in _INSERTS:
        raise StoreUnusable(f"citetrack stores live in SQLite or PostgreSQL, not {dialect}")
    return _INSERTS[dialect](model)
