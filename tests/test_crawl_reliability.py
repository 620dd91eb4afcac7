"""Crawl failures found by an adversarial review: nothing lost, a clear status per source, honest exit codes."""

from __future__ import annotations

import json
import os
import socket

import pytest
from sqlalchemy import select, text

from crawler.cli import main
from crawler.demo.pdf import write_pdf
from store.engine import get_engine, session_factory
from store.models import Source
from tests.crawling import add_article, by_url, checks, crawl, snapshots
from tests.mockserver import MockServer
from tests.mockserver.hostile import HostileServer
from tests.test_extract_pdf import encrypted

HTML = [("Content-Type", "text/html; charset=utf-8")]
PAGE = b"<html><head><title>Fine</title></head><body><article><p>" + b"A healthy page with words. " * 40 + b"</p></article></body></html>"


def unique(path: str) -> str:
    return f"{path}-{os.urandom(4).hex()}"


def test_values_a_database_cannot_store_are_cleaned_per_source_and_nothing_is_lost(
    db_url: str, hostile_server: HostileServer
) -> None:
    nul_text = hostile_server.add(unique("/nul.txt"), b"Report text.\x00 It continues\x00 here. " * 20,
                                  [("Content-Type", "text/plain; charset=utf-8")])  # fmt: skip
    nul_etag = hostile_server.add(unique("/nul-etag"), PAGE, [*HTML, ("ETag", '"a\x00b"')])
    long_etag = hostile_server.add(unique("/long-etag"), PAGE + b" ", [*HTML, ("ETag", '"' + "e" * 600 + '"')])
    healthy = hostile_server.add(unique("/fine"), PAGE + b"  ", HTML)
    urls = [nul_text, nul_etag, long_etag, healthy]
    add_article(db_url, urls)
    code, summary = crawl(db_url, "--allow-private")
    assert code == 0 and summary["not_checked"] == 0
    rows = by_url(summary)
    assert {rows[url]["status"] for url in urls} == {"ok"}
    (text_snapshot,) = snapshots(db_url, nul_text)
    assert "\x00" not in text_snapshot.text and "It continues here." in text_snapshot.text
    assert snapshots(db_url, nul_etag)[0].etag == '"ab"'
    assert snapshots(db_url, long_etag)[0].etag is None
    assert checks(db_url, long_etag)[0].evidence["cleaned"] == ["etag"]


def refuse_checks_of(db_url: str, url: str) -> None:
    """Make the database itself refuse every check of one source (a trigger), as a failing write would."""
    with session_factory(db_url).begin() as session:
        source_id = session.scalars(select(Source.id).where(Source.url == url)).one()
        if get_engine(db_url).dialect.name == "sqlite":
            session.execute(text(f"CREATE TRIGGER refuse BEFORE INSERT ON checks WHEN NEW.source_id = {source_id} "
                                 "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"))  # fmt: skip
        else:
            session.execute(text(f"CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.source_id = {source_id} "
                                 "THEN RAISE EXCEPTION 'refused by the test trigger'; END IF; RETURN NEW; END $$ "
                                 "LANGUAGE plpgsql"))  # fmt: skip
            session.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON checks FOR EACH ROW EXECUTE FUNCTION refuse()"))


def test_a_refused_check_loses_only_its_own_source_and_the_crawl_exits_1(
    db_url: str, mockserver: MockServer
) -> None:
    urls = [mockserver.url(path) for path in ("/blog/eu-ai-act-open-source.html", "/journal/open-weights-global-south.html", "/status/404")]
    add_article(db_url, urls)
    refuse_checks_of(db_url, urls[0])
    code, summary = crawl(db_url, "--allow-private")
    assert code == 1
    assert summary["not_checked"] == 1 and summary["interrupted"] is False
    assert sorted(by_url(summary)) == sorted(urls[1:])


def test_unreadable_pdfs_get_a_problem_status_with_the_extractors_reason_and_are_listed_as_broken(
    db_url: str, hostile_server: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = [("Content-Type", "application/pdf")]
    locked = hostile_server.add(unique("/locked.pdf"), encrypted(write_pdf("Secret findings."), "reader-secret"), pdf)
    damaged = hostile_server.add(unique("/damaged.pdf"), b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog" + b"\x00" * 300, pdf)
    add_article(db_url, [locked, damaged])
    code, summary = crawl(db_url, "--allow-private")
    assert code == 0
    for url in (locked, damaged):
        assert by_url(summary)[url]["status"] == "unreadable"
        evidence = checks(db_url, url)[0].evidence
        assert evidence["rule"] == "extraction_error" and evidence["detail"]
    assert "password" in checks(db_url, locked)[0].evidence["detail"].lower()
    capsys.readouterr()
    assert main(["broken", "--db", db_url, "--format", "json"]) == 0
    listed = {row["url"]: row["status"] for row in json.loads(capsys.readouterr().out)}
    assert listed == {locked: "unreadable", damaged: "unreadable"}


def test_crawl_of_an_unknown_article_is_one_line_exit_1(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["crawl", "--article", "999", "--db", sqlite_url]) == 1
    assert capsys.readouterr().err == "citetrack crawl: error: no article with id 999\n"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_robots_txt_is_logged_in_one_line_per_host(
    sqlite_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    port = closed_port()
    add_article(sqlite_url, [f"http://127.0.0.1:{port}/a", f"http://127.0.0.1:{port}/b"])
    code, summary = crawl(sqlite_url, "--allow-private")
    assert code == 0 and {row["status"] for row in summary["sources"]} == {"dead"}
    err = capfd.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if "robots.txt" in line]
    assert len(lines) == 1 and f"robots.txt for 127.0.0.1:{port} could not be fetched" in lines[0], err
