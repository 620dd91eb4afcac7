"""Schema revisions: new stores at head, pre-Alembic stores recognised as the baseline, behind stores refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import text

from crawler.cli import main
from store.base import Base
from store.engine import create_store_engine, get_engine
from store.schema import BASELINE, head_revision, include_object

COMPARE = {"include_object": include_object}


def baseline_store(url: str, *, stamped: bool = False) -> None:
    """Make the store as the baseline ``create_all`` did: migration 0001 only, without alembic_version."""
    engine = create_store_engine(url)
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", "store:migrations")
        config.attributes["connection"] = connection
        command.upgrade(config, BASELINE)
        if not stamped:
            connection.execute(text("DROP TABLE alembic_version"))
    engine.dispose()


def revision_of(url: str) -> str | None:
    engine = create_store_engine(url)
    with engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    engine.dispose()
    return revision


def test_a_new_store_is_created_at_head_and_matches_the_models(db_url: str) -> None:
    engine = get_engine(db_url)
    assert revision_of(db_url) == head_revision()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection, opts=COMPARE), Base.metadata) == []


def test_migrations_from_the_baseline_build_exactly_the_models_schema(db_url: str) -> None:
    baseline_store(db_url)
    assert main(["db", "upgrade", "--db", db_url]) == 0
    engine = create_store_engine(db_url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection, opts=COMPARE), Base.metadata) == []
    engine.dispose()


def test_a_pre_alembic_store_is_stamped_as_baseline_and_upgraded(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline_store(db_url)
    capsys.readouterr()
    assert main(["db", "upgrade", "--db", db_url, "--format", "json"]) == 0
    assert f'"before": "{BASELINE}"' in capsys.readouterr().out
    assert revision_of(db_url) == head_revision()
    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert f"already at revision {head_revision()}" in capsys.readouterr().out


def test_a_store_that_is_not_citetrack_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    engine = create_store_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE articles (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    assert main(["sources", "list", "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a citetrack store" in err


def test_a_store_with_two_revisions_recorded_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'two.db'}"
    assert main(["db", "upgrade", "--db", url]) == 0
    engine = create_store_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0001')"))
    engine.dispose()
    capsys.readouterr()
    assert main(["sources", "list", "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "holds 2 revisions" in err


def test_a_file_that_is_not_a_database_is_one_line_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are notes, not a database\n" * 100)
    assert main(["claims", "1", "--db", f"sqlite:///{path}"]) == 1
    err = capsys.readouterr().err
    assert err == "citetrack claims: error: cannot use the database: file is not a database\n"


def test_a_database_url_without_its_driver_is_one_line_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "list", "--db", "mysql://user:secret@127.0.0.1/citetrack"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("citetrack sources: error: no driver for mysql databases") and err.count("\n") == 1
    assert "secret" not in err


def test_the_head_read_from_the_revision_modules_is_alembics() -> None:
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", "store:migrations")
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()
