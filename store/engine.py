"""Engine and session factory for any SQLAlchemy URL; SQLite runs in WAL mode; the schema is checked on first use."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from store.errors import StoreUnusable
from store.schema import check_schema


def _normalise_url(url: str) -> str:
    # ``postgresql://`` would pick psycopg2, which we do not depend on.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def create_store_engine(url: str) -> Engine:
    """Return a new engine for ``url`` without touching the schema (``citetrack db upgrade`` uses it)."""
    try:
        engine = create_engine(_normalise_url(url))
    except ImportError as error:
        raise StoreUnusable(f"no driver for {url.split(':', 1)[0]} databases: {error}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@lru_cache(maxsize=16)
def get_engine(url: str) -> Engine:
    """Return a shared engine for ``url``: a new store is created at the newest schema, an older one refused."""
    engine = create_store_engine(url)
    try:
        check_schema(engine)
    except (DBAPIError, StoreUnusable):
        engine.dispose()
        raise
    return engine


def session_factory(url: str) -> sessionmaker[Session]:
    """Return a session factory bound to the engine for ``url``; callers own transactions."""
    return sessionmaker(get_engine(url), expire_on_commit=False)


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
