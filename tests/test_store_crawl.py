"""Recording checks: every attempt is a check, a snapshot only for new content, bodies stored once per hash."""

from __future__ import annotations

import gzip
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from crawler.jobs.due import Selection, stream_due_sources
from crawler.jobs.extract import stored_document
from store.crawl import CheckRecord, due_page, latest_snapshots, record_checks
from store.engine import session_factory
from store.errors import NotFound
from store.models import Body, Check, Snapshot, Source
from tests.crawling import add_article, add_sources

BODY = b"<html><body><p>The agency recommends monitoring.</p></body></html>"
WHEN = datetime(2026, 11, 1, tzinfo=UTC)


def _record(source_id: int, outcome: str, body: bytes | None = BODY, **fields) -> CheckRecord:
    content = {}
    if body is not None:
        content = {
            "content_hash": hashlib.sha256(body).hexdigest(),
            "body_size": len(body),
            "body_gzip": gzip.compress(body),
        }
    return CheckRecord(
        source_id=source_id,
        checked_at=fields.pop("checked_at", WHEN),
        outcome=outcome,
        status=fields.pop("status", "ok"),
        evidence={"rule": "content"},
        http_status=200,
        content_type="text/html",
        text="The agency recommends monitoring.",
        **content,
        **fields,
    )


def _source_ids(db_url: str, urls: list[str]) -> list[int]:
    add_sources(db_url, urls)
    with session_factory(db_url).begin() as session:
        return list(session.scalars(select(Source.id).where(Source.url.in_(urls)).order_by(Source.id)))


def test_fetched_check_stores_snapshot_and_compressed_body(db_url: str) -> None:
    (source_id,) = _source_ids(db_url, ["https://a.example/report"])
    with session_factory(db_url).begin() as session:
        (snapshot_id,) = record_checks(session, [_record(source_id, "fetched", etag='"v1"')])
    with session_factory(db_url).begin() as session:
        snapshot = session.get(Snapshot, snapshot_id)
        assert gzip.decompress(snapshot.body.data) == BODY and snapshot.body.size == len(BODY)
        assert snapshot.etag == '"v1"'
        source = session.get(Source, source_id)
        assert (source.status, source.status_at, source.last_checked_at) == ("ok", WHEN, WHEN)
        document, body, content_type = stored_document(session, snapshot.id)
        assert (document.text, body, content_type) == (snapshot.text, BODY, "text/html")


def test_identical_bodies_of_two_sources_share_one_stored_body(db_url: str) -> None:
    first, second = _source_ids(db_url, ["https://a.example/1", "https://b.example/2"])
    with session_factory(db_url).begin() as session:
        assert len(set(record_checks(session, [_record(first, "fetched"), _record(second, "fetched")]))) == 2
    with session_factory(db_url).begin() as session:
        assert session.scalar(select(func.count(Body.id))) == 1
        assert session.scalar(select(func.count(Snapshot.id))) == 2


def test_unchanged_and_failed_checks_add_no_snapshot(db_url: str) -> None:
    (source_id,) = _source_ids(db_url, ["https://a.example/report"])
    with session_factory(db_url).begin() as session:
        (first,) = record_checks(session, [_record(source_id, "fetched")])
        later = [
            _record(source_id, "unchanged", None, snapshot_id=first, checked_at=WHEN + timedelta(days=1)),
            _record(source_id, "failed", None, status="dead", checked_at=WHEN + timedelta(days=2)),
        ]
        assert record_checks(session, later) == [first, None]
    with session_factory(db_url).begin() as session:
        assert session.scalar(select(func.count(Snapshot.id))) == 1
        assert session.scalar(select(func.count(Check.id))) == 3
        assert session.get(Source, source_id).status == "dead"


def test_due_sources_default_to_never_checked_with_latest_validators(db_url: str) -> None:
    checked, fresh = _source_ids(db_url, ["https://a.example/old", "https://a.example/new"])
    with session_factory(db_url).begin() as session:
        record_checks(session, [_record(checked, "fetched", etag='"v1"')])
        v2 = _record(checked, "fetched", body=b"<p>v2</p>", etag='"v2"', checked_at=WHEN + timedelta(days=1))
        record_checks(session, [v2])
    with session_factory(db_url).begin() as session:
        assert [due.source_id for due in due_page(session, limit=10)] == [fresh]
        everything = {due.source_id: due for due in due_page(session, limit=10, every=True)}
        assert (
            everything[checked].etag == '"v2"'
            and everything[checked].content_hash == hashlib.sha256(b"<p>v2</p>").hexdigest()
        )
        assert everything[fresh].snapshot_id is None
        assert latest_snapshots(session, [checked])[checked].etag == '"v2"'


def test_due_sources_by_article_and_by_url(db_url: str) -> None:
    article_id = add_article(db_url, ["https://a.example/cited", "https://b.example/cited"])
    add_sources(db_url, ["https://c.example/other"])
    with session_factory(db_url).begin() as session:
        assert {due.url for due in due_page(session, limit=10, article_id=article_id)} == {
            "https://a.example/cited", "https://b.example/cited"}  # fmt: skip
        with pytest.raises(NotFound):
            due_page(session, limit=10, url="https://nowhere.example/")
    chosen = stream_due_sources(db_url, Selection(url="https://C.example/other#frag"), 10)
    assert [due.url for due in chosen] == ["https://c.example/other"]
