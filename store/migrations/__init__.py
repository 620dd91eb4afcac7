"""Alembic migrations of the citetrack store; run them with ``citetrack db upgrade`` (see ``store.schema``)."""
