"""Where a generated store lives, and filling it: the schema from ``citetrack db upgrade``, the rows in bulk.

PostgreSQL: a schema of its own (``bench_store_1m``) in the benchmark database, filled with COPY while its
secondary indexes, unique constraints and foreign keys are dropped, which are then re-created exactly as the
catalog described them (so the foreign keys are checked over every row), followed by VACUUM ANALYZE. SQLite: a
file, its secondary indexes dropped during the load and re-created. A generated store records what made it
(PostgreSQL: the schema's comment; SQLite: a ``.json`` file beside it), which ``--reuse`` compares.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text

from .plan import Sizes, draw_plan
from .rows import COLUMNS, Row, Stamps, article_family, source_family

# Bump when the generated rows change, so ``--reuse`` regenerates an older store.
GENERATOR_VERSION = 1
# The commands measured connect under this name, so queries a killed command left running can be ended.
APPLICATION_NAME = "citetrack-bench-store"
SQLITE_BATCH = 20_000


@dataclass(frozen=True)
class StoreSpec:
    """A generated store: dialect, size and seed, and where it lives (schema or file stem ``name``)."""

    dialect: str
    scale: float
    seed: int
    name: str
    postgres_url: str
    sqlite_dir: Path

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file of the store."""
        return self.sqlite_dir / f"{self.name}.sqlite"

    @property
    def url(self) -> str:
        """The database URL ``citetrack --db`` gets for this store."""
        if self.dialect == "sqlite":
            return f"sqlite:///{self.sqlite_path}"
        joiner = "&" if "?" in self.postgres_url else "?"
        options = f"options=-csearch_path%3D{self.name}&application_name={self.application_name}"
        return f"{self.postgres_url}{joiner}{options}"

    @property
    def application_name(self) -> str:
        """The PostgreSQL application name of the commands measured on this store (named after the store, so
        that ending one benchmark's leftover queries leaves another's alone)."""
        return f"{APPLICATION_NAME}-{self.name}"


def default_name(scale: float) -> str:
    """Return the store's name after its number of sources: bench_store_1m, bench_store_100k, …"""
    sources = Sizes.at(scale).sources
    for unit, size in (("m", 1_000_000), ("k", 1_000)):
        if sources >= size and sources % size == 0:
            return f"bench_store_{sources // size}{unit}"
    return f"bench_store_{sources}"


@dataclass(frozen=True)
class Generated:
    """A ready store: its rows per table, how long generating it took, its size on disk, its generation time."""

    counts: dict[str, int]
    seconds: float
    size_bytes: int
    anchor: float
    reused: bool


def prepare_store(spec: StoreSpec, citetrack: list[str], *, reuse: bool, log: Callable[[str], None]) -> Generated:
    """Return the store of ``spec``: the existing one when ``reuse`` and it was made the same way, else a new one."""
    marker = read_marker(spec)
    if reuse and marker and all(marker.get(key) == value for key, value in _identity(spec).items()):
        return Generated(marker["counts"], marker["seconds"], store_size(spec), marker["anchor"], reused=True)
    started = time.monotonic()
    anchor = float(int(time.time()) // 3600 * 3600)
    drop_store(spec)
    _create_schema(spec, citetrack)
    log(f"schema created by `citetrack db upgrade` in {time.monotonic() - started:.1f} s")
    plan = draw_plan(Sizes.at(spec.scale), spec.seed, anchor)
    load = _load_postgresql if spec.dialect == "postgresql" else _load_sqlite
    counts = load(spec, plan_rows(plan, spec.seed, spec.dialect), log)
    seconds = time.monotonic() - started
    write_marker(spec, {**_identity(spec), "anchor": anchor, "seconds": round(seconds, 1), "counts": counts})
    return Generated(counts, seconds, store_size(spec), anchor, reused=False)


def plan_rows(plan: Any, seed: int, dialect: str) -> Iterator[tuple[str, Row]]:
    """Yield the rows of both passes over ``plan``: sources with their history, then articles with their claims."""
    stamp = Stamps(dialect)
    yield from source_family(plan, seed, stamp)
    yield from article_family(plan, seed, stamp)


def admin_engine(spec: StoreSpec) -> Engine:
    """Return the benchmark's own engine on the store (on PostgreSQL under a name of its own)."""
    if spec.dialect == "sqlite":
        return create_engine(spec.url)
    return create_engine(spec.url.replace(APPLICATION_NAME, f"{APPLICATION_NAME}-admin"), pool_size=len(COLUMNS))


def drop_store(spec: StoreSpec) -> None:
    """Remove the store of ``spec`` (and its marker) if it exists."""
    if spec.dialect == "sqlite":
        for end in ("", "-wal", "-shm", ".json"):
            spec.sqlite_path.with_name(spec.sqlite_path.name + end).unlink(missing_ok=True)
        return
    engine = create_engine(spec.postgres_url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{spec.name}" CASCADE'))
    engine.dispose()


def read_marker(spec: StoreSpec) -> dict[str, Any] | None:
    """Return what generated the store (``None`` if there is none, or it was never finished)."""
    if spec.dialect == "sqlite":
        path = spec.sqlite_path.with_name(spec.sqlite_path.name + ".json")
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() and spec.sqlite_path.exists() else None
    engine = create_engine(spec.postgres_url)
    with engine.connect() as connection:
        comment = connection.scalar(
            text("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = :name"),
            {"name": spec.name},
        )
    engine.dispose()
    return json.loads(comment) if comment else None


def write_marker(spec: StoreSpec, marker: dict[str, Any]) -> None:
    """Record what generated the store; written last, so a store without it was never finished."""
    if spec.dialect == "sqlite":
        spec.sqlite_path.with_name(spec.sqlite_path.name + ".json").write_text(json.dumps(marker), encoding="utf-8")
        return
    engine = create_engine(spec.postgres_url)
    with engine.begin() as connection:
        literal = json.dumps(marker).replace("'", "''")
        connection.execute(text(f"COMMENT ON SCHEMA \"{spec.name}\" IS '{literal}'"))
    engine.dispose()


def store_size(spec: StoreSpec) -> int:
    """Return the store's size on disk in bytes (tables, indexes and TOAST; SQLite: the file and its WAL)."""
    if spec.dialect == "sqlite":
        files = (spec.sqlite_path, spec.sqlite_path.with_name(spec.sqlite_path.name + "-wal"))
        return sum(path.stat().st_size for path in files if path.exists())
    engine = create_engine(spec.postgres_url)
    with engine.connect() as connection:
        size = connection.scalar(
            text(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "WHERE c.relnamespace = to_regnamespace(:name) AND c.relkind = 'r'"
            ),
            {"name": spec.name},
        )
    engine.dispose()
    return int(size)


def _identity(spec: StoreSpec) -> dict[str, Any]:
    return {"generator": GENERATOR_VERSION, "dialect": spec.dialect, "scale": spec.scale, "seed": spec.seed}


def _create_schema(spec: StoreSpec, citetrack: list[str]) -> None:
    """Create the empty store with the project's own command, so it has exactly the real schema."""
    if spec.dialect == "sqlite":
        spec.sqlite_dir.mkdir(parents=True, exist_ok=True)
    else:
        engine = create_engine(spec.postgres_url)
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{spec.name}"'))
        engine.dispose()
    done = subprocess.run([*citetrack, "db", "upgrade", "--db", spec.url], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"citetrack db upgrade failed ({done.returncode}): {done.stderr.strip()}")


def _load_postgresql(spec: StoreSpec, rows: Iterator[tuple[str, Row]], log: Callable[[str], None]) -> dict[str, int]:
    """COPY every row with secondary indexes and constraints dropped; re-create them, then VACUUM ANALYZE."""
    from psycopg.copy import QueuedLibpqWriter

    engine = admin_engine(spec)
    with engine.begin() as connection:
        recreate = _drop_secondary_postgresql(connection, spec.name)
    started = time.monotonic()
    counts = dict.fromkeys(COLUMNS, 0)
    # One COPY per table, each on a connection of its own, all open while the rows of both passes stream in.
    connections = {table: engine.raw_connection() for table in COLUMNS}
    try:
        with ExitStack() as stack:
            copies = {
                table: stack.enter_context(_copy(connection, table, QueuedLibpqWriter))
                for table, connection in connections.items()
            }
            for table, row in rows:
                copies[table].write_row(row)
                counts[table] += 1
        for connection in connections.values():
            connection.commit()
    finally:
        for connection in connections.values():
            connection.close()
    log(f"rows generated and copied in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        for statement in recreate:
            connection.execute(text(statement))
        for table in COLUMNS:
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))")
            )
    log(f"indexes and constraints re-created in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in COLUMNS:
            connection.execute(text(f'VACUUM (ANALYZE) "{table}"'))
    log(f"VACUUM ANALYZE in {time.monotonic() - started:.1f} s")
    engine.dispose()
    return counts


def _copy(connection: Any, table: str, writer: Any) -> Any:
    """Return the COPY context of ``table``'s columns on a raw psycopg connection."""
    cursor = connection.driver_connection.cursor()
    columns = ", ".join(f'"{column}"' for column in COLUMNS[table])
    return cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN', writer=writer(cursor))


def _drop_secondary_postgresql(connection: Connection, schema: str) -> list[str]:
    """Drop the foreign keys, unique constraints and secondary indexes; return the DDL that re-creates them."""
    constraints = connection.execute(
        text(
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE connamespace = to_regnamespace(:schema) AND contype IN ('f', 'u') ORDER BY contype, conname"
        ),
        {"schema": schema},
    ).all()
    indexes = connection.execute(
        text(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relnamespace = to_regnamespace(:schema) "
            "AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
            "ORDER BY 1"
        ),
        {"schema": schema},
    ).all()
    for table, name, _, _ in constraints:  # foreign keys ('f') sort before unique constraints ('u')
        connection.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    for index, _ in indexes:
        connection.execute(text(f"DROP INDEX {index}"))
    added = [(kind, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {ddl}') for table, name, kind, ddl in constraints]
    # Unique constraints and indexes first: the foreign keys are then checked against every row.
    unique, foreign = ([ddl for kind, ddl in added if kind == wanted] for wanted in ("u", "f"))
    return unique + [ddl for _, ddl in indexes] + foreign


def _load_sqlite(spec: StoreSpec, rows: Iterator[tuple[str, Row]], log: Callable[[str], None]) -> dict[str, int]:
    """Insert every row in one transaction with the secondary indexes dropped; re-create them, then ANALYZE."""
    connection = sqlite3.connect(spec.sqlite_path, isolation_level=None)
    connection.execute("PRAGMA synchronous=OFF")
    indexes = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall()
    started = time.monotonic()
    connection.execute("BEGIN")
    for name, _ in indexes:
        connection.execute(f'DROP INDEX "{name}"')
    statements = {table: _insert_statement(table) for table in COLUMNS}
    counts = dict.fromkeys(COLUMNS, 0)
    pending: dict[str, list[Row]] = {table: [] for table in COLUMNS}
    for table, row in rows:
        batch = pending[table]
        batch.append(row)
        if len(batch) >= SQLITE_BATCH:
            connection.executemany(statements[table], batch)
            counts[table] += len(batch)
            batch.clear()
    for table, batch in pending.items():
        connection.executemany(statements[table], batch)
        counts[table] += len(batch)
    log(f"rows generated and inserted in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    for _, sql in indexes:
        connection.execute(sql)
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    log(f"indexes re-created and ANALYZE in {time.monotonic() - started:.1f} s")
    return counts


def _insert_statement(table: str) -> str:
    columns = ", ".join(f'"{column}"' for column in COLUMNS[table])
    return f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join("?" * len(COLUMNS[table]))})'
