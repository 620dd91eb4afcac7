"""``citetrack feeds add/list/remove``, and migration 0006 adding the feeds table to a 0003 store with rows."""

from __future__ import annotations

import json

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from crawler.cli import main
from store.engine import create_store_engine
from store.schema import head_revision
from tests.test_store_schema import baseline_store, revision_of
from tests.test_store_unique import counts, fill_baseline

FEED = "https://news.example/feed.xml"


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, object]:
    code = main([*args, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out else None


def test_feeds_are_added_once_listed_and_removed_by_url_or_id(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, added = run_json(capsys, "feeds", "add", FEED, "--db", db_url)
    assert code == 0 and added["created"] is True and added["kind"] is None and added["kind_given"] is False
    code, again = run_json(capsys, "feeds", "add", FEED, "--kind", "rss", "--db", db_url)
    assert code == 0 and again["created"] is False and again["id"] == added["id"] and again["kind"] is None
    code, listing = run_json(capsys, "feeds", "add", "https://news.example/opinion/", "--kind", "listing", "--db", db_url)
    assert listing["kind"] == "listing" and listing["kind_given"] is True

    code, feeds = run_json(capsys, "feeds", "list", "--db", db_url)
    assert code == 0 and [(f["url"], f["kind"], f["last_checked_at"]) for f in feeds] == [
        (FEED, None, None), ("https://news.example/opinion/", "listing", None),
    ]  # fmt: skip
    assert main(["feeds", "list", "--db", db_url]) == 0
    assert "never" in capsys.readouterr().out

    code, removed = run_json(capsys, "feeds", "remove", str(added["id"]), "--db", db_url)
    assert code == 0 and removed["url"] == FEED and removed["removed"] is True
    assert main(["feeds", "remove", "https://news.example/opinion/", "--db", db_url]) == 0
    assert capsys.readouterr().out == f"feed {listing['id']} removed: https://news.example/opinion/\n"
    assert run_json(capsys, "feeds", "list", "--db", db_url)[1] == []


def test_feeds_refuse_a_bad_url_kind_or_unknown_feed_in_one_line(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["feeds", "add", "ftp://news.example/feed", "--db", sqlite_url]) == 2
    assert capsys.readouterr().err == "citetrack feeds: error: 'ftp://news.example/feed' is not an http(s) URL\n"
    assert main(["feeds", "add", FEED, "--kind", "json", "--db", sqlite_url]) == 2
    assert "invalid choice: 'json'" in capsys.readouterr().err
    assert main(["feeds", "remove", "42", "--db", sqlite_url]) == 1
    err = capsys.readouterr().err
    assert err == "citetrack feeds: error: no feed 42 (see `citetrack feeds list`)\n"


def test_upgrading_a_0003_store_with_rows_adds_feeds_and_loses_nothing(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline_store(db_url, stamped=True)
    fill_baseline(db_url)
    engine = create_store_engine(db_url)
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", "store:migrations")
        config.attributes["connection"] = connection
        command.upgrade(config, "0003_ref_archives_conflicts")
        assert "feeds" not in inspect(connection).get_table_names()
    engine.dispose()
    before = counts(db_url)
    assert main(["feeds", "list", "--db", db_url]) == 1
    assert "citetrack db upgrade" in capsys.readouterr().err

    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert revision_of(db_url) == head_revision()
    assert counts(db_url) == before
    assert main(["feeds", "add", FEED, "--db", db_url]) == 0
    assert capsys.readouterr().out.endswith(f"feed 1 added: {FEED} (detect)\n")
    assert run_json(capsys, "feeds", "list", "--db", db_url)[1][0]["url"] == FEED
