"""Schema revisions (Alembic): a new store is created at head, a pre-Alembic store is recognised as the baseline.

Every command opens the store through ``store.engine.get_engine``, which calls ``check_schema``: a store whose
revision is not this citetrack's head is refused with the command to run (``citetrack db upgrade``), so no
command reads or writes tables whose shape it does not know. Revisions live in ``store/migrations/versions``.
"""

from __future__ import annotations

import ast
import importlib.resources
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from store import search
from store.models import Base  # from the models, so every table is on Base.metadata for create_all
from store.errors import StoreUnusable

if TYPE_CHECKING:
    from alembic.config import Config

BASELINE = "0001"
# The tables ``Base.metadata.create_all`` made before migrations existed (main commit c775401).
BASELINE_TABLES = frozenset(
    {"articles", "bodies", "checks", "citations", "claims", "flags", "references", "snapshots", "sources", "verifications"}
)


@cache
def head_revision() -> str:
    """Return the newest revision this citetrack knows: the one no other revision revises.

    Read from the revision scripts' text (``revision = …``, ``down_revision = …``) as package resources, so that
    opening a store loads no Alembic (a fifth of a command's start) and works from a zipped egg (a Scrapyd
    deploy), where Alembic cannot list the migration scripts; ``citetrack db upgrade`` needs the files.
    """
    revised: set[str] = set()
    revisions: set[str] = set()
    for script in importlib.resources.files("store.migrations.versions").iterdir():
        if not script.name.endswith(".py") or script.name == "__init__.py":
            continue
        names = _assignments(script.read_text(encoding="utf-8"))
        revisions.add(names["revision"])
        down = names["down_revision"]
        revised.update([down] if isinstance(down, str) else down or ())
    (head,) = revisions - revised
    return head


def _assignments(source: str) -> dict[str, object]:
    """Return the module-level ``name = literal`` assignments of a revision script."""
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Constant | ast.Tuple):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = ast.literal_eval(node.value)
    return found


def check_schema(engine: Engine) -> None:
    """Create an empty store at head (or stamp a pre-Alembic one); raise ``StoreUnusable`` unless it is at head."""
    with engine.begin() as connection:
        revision = _revision_or_stamp(connection)
    head = head_revision()
    if revision != head:
        raise StoreUnusable(
            f"the database schema is at revision {revision}, this citetrack needs {head}: "
            "run `citetrack db upgrade` (with the same --db) first"
        )


def upgrade(engine: Engine) -> tuple[str, str]:
    """Apply every migration the store lacks; return its revision before and after."""
    from alembic import command

    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # Outside a transaction, or SQLite ignores it: batch mode drops and re-creates tables.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                before = _revision_or_stamp(connection)
                command.upgrade(_config(connection), "head")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
    return before, head_revision()


def _revision_or_stamp(connection: Connection) -> str:
    """Return the store's revision, first creating an empty store at head or stamping a baseline one."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables:
        revisions = connection.scalars(text("SELECT version_num FROM alembic_version")).all()
        if len(revisions) != 1:
            raise StoreUnusable(
                f"the database's alembic_version table holds {len(revisions)} revisions, not one: "
                "it is not a citetrack store"
            )
        return revisions[0]
    from alembic import command

    ours = tables & BASELINE_TABLES
    if not ours:
        Base.metadata.create_all(connection)
        command.stamp(_config(connection), "head")
        return head_revision()
    if ours != BASELINE_TABLES:
        missing = ", ".join(sorted(BASELINE_TABLES - ours))
        raise StoreUnusable(f"the database has some citetrack tables but not {missing}: it is not a citetrack store")
    command.stamp(_config(connection), BASELINE)
    return BASELINE


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Tell Alembic's comparison which objects to compare: not the claims' search index (``store.search``)."""
    return not search.is_search_object(name, type_)


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "store:migrations")
    config.attributes["connection"] = connection
    return config
