"""Empty stores for tests: a SQLite file, or a fresh schema on the real PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from store.engine import get_engine

POSTGRES_URL = os.environ.get("CITETRACK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def backend_url(kind: str, directory: Path) -> Iterator[str]:
    """Yield the URL of an empty store on ``kind`` ('sqlite' or 'postgresql'); drop the schema afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'citetrack.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
