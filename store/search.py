"""Claim text search through the database's own full-text index: PostgreSQL ``tsvector`` (GIN), SQLite FTS5.

A search keeps the API's meaning, "the claim's text contains these words, in any case": the index finds the
claims holding every word of the search as a word or the start of one, then the text is checked to contain the
search as typed (``ILIKE``), which only the few claims the index found are read for.
"""

from __future__ import annotations

import re

from sqlalchemy import DDL, ColumnElement, Table, and_, column, event, false, func, literal_column, select, table, text

SIMPLE = text("'simple'::regconfig")  # no stemming, no stopwords: the words as written
FTS_TABLE = "claims_fts"
INDEX_NAME = "ix_claims_text_search"  # PostgreSQL
_FTS = table(FTS_TABLE, column("rowid"))
WORD = re.compile(r"\w+")

POSTGRESQL_DDL = f"CREATE INDEX {INDEX_NAME} ON claims USING gin (to_tsvector('simple'::regconfig, text))"
SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(text, content='claims', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON claims BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON claims BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF text ON claims BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
)
SQLITE_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"
SQLITE_DROP = f"DROP TABLE IF EXISTS {FTS_TABLE}"


def text_vector(text_column: ColumnElement[str]) -> ColumnElement[object]:
    """Return the indexed PostgreSQL expression of a claim's words."""
    return func.to_tsvector(SIMPLE, text_column)


def install(claims: Table) -> None:
    """Declare the claims' search index: the GIN index on PostgreSQL, the FTS5 table and its triggers on SQLite.

    Both are DDL run after the table is created, so Alembic's comparison of models and database leaves them
    out (``store.schema.include_object``): SQLite cannot reflect an expression index.
    """
    event.listen(claims, "after_create", DDL(POSTGRESQL_DDL).execute_if(dialect="postgresql"))
    for statement in SQLITE_DDL:
        event.listen(claims, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    event.listen(claims, "before_drop", DDL(SQLITE_DROP).execute_if(dialect="sqlite"))


def is_search_object(name: str | None, type_: str) -> bool:
    """Return whether a schema object is part of the search index: the FTS5 tables, or the GIN index."""
    return (type_ == "table" and str(name or "").startswith(FTS_TABLE)) or (type_ == "index" and name == INDEX_NAME)


def contains_words(
    dialect: str, id_column: ColumnElement[int], text_column: ColumnElement[str], search: str
) -> ColumnElement[bool]:
    """Return the condition "the text contains ``search`` (any case)", found through the full-text index.

    A search without a word character (only punctuation) matches nothing: the index has no word to look up.
    """
    words = [word.lower() for word in WORD.findall(search)]
    if not words:
        return false()
    pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    typed = text_column.ilike(pattern, escape="\\")
    if dialect == "postgresql":
        query = func.to_tsquery(SIMPLE, " & ".join(f"{word}:*" for word in words))
        return and_(text_vector(text_column).bool_op("@@")(query), typed)
    if dialect == "sqlite":
        match = " ".join(f'"{word}"*' for word in words)
        return and_(id_column.in_(select(_FTS.c.rowid).where(literal_column(FTS_TABLE).match(match))), typed)
    return typed
