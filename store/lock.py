"""A run lock per store that a crashed run cannot leave behind: two ``crawl --due`` never overlap.

PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``), its key derived from the lock's name, the
database and the schema, held on a connection of its own; the server releases it when that connection ends,
however the process ended. SQLite: ``flock`` on a file beside the database (``citetrack.db.crawl-due.lock``); the kernel
releases it when the process's file is closed, a crash included. Other databases have no lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from store.engine import get_engine
from store.errors import StoreLocked


@contextmanager
def run_lock(url: str, name: str) -> Iterator[None]:
    """Hold the lock ``name`` on the store at ``url`` while the block runs; raise ``StoreLocked`` if it is taken."""
    engine = get_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            key = _advisory_key(connection, name)
            if not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}):
                raise held(name)
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        with _file_lock(f"{engine.url.database}.{re.sub('[^a-z0-9]+', '-', name.lower()).strip('-')}.lock", name):
            yield
    else:
        yield


def held(name: str) -> StoreLocked:
    """Return the error of a run that found the lock ``name`` taken."""
    return StoreLocked(f"another run holds the {name!r} lock on this store; nothing was done (try again when it ends)")


def _advisory_key(connection: Connection, name: str) -> int:
    """Return a signed 64-bit key for ``name`` in this database and schema (schemas are separate stores)."""
    database, schema = connection.execute(text("SELECT current_database(), current_schema()")).one()
    digest = hashlib.sha256(f"citetrack:{name}:{database}:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def _file_lock(path: str, name: str) -> Iterator[None]:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise held(name) from None
        yield
    finally:
        os.close(descriptor)
