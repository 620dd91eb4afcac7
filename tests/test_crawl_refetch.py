"""Re-fetching: 304 and identical bodies make a check but no snapshot; changed bodies make a new snapshot."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from crawler.demo.samples import DRIFT_REPLACED, DRIFT_SUPPORTED
from tests.crawling import add_sources, by_url, checks, crawl, snapshots
from tests.databases import backend_url
from tests.mockserver import MockServer

PATHS = {
    "validated": "/blog/eu-ai-act-open-source.html",
    "no_validators": "/nocache/thinktank/open-source-ai-resilience.html",
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def two_crawls(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, mockserver: MockServer
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any], dict[str, str], list[dict[str, Any]]]]:
    """Crawl three sources, then all of them again; yield both summaries and the second run's requests."""
    urls = {case: mockserver.url(path) for case, path in PATHS.items()}
    urls["drifting"] = mockserver.url(f"/drift/refetch-{uuid.uuid4().hex}")
    with backend_url(request.param, tmp_path_factory.mktemp("refetch")) as db_url:
        add_sources(db_url, list(urls.values()))
        _, first = crawl(db_url, "--allow-private")
        already = len(mockserver.requests())
        _, second = crawl(db_url, "--allow-private", "--all")
        yield db_url, first, second, urls, mockserver.requests()[already:]


def test_first_crawl_fetches_every_source(two_crawls):
    _, first, _, urls, _ = two_crawls
    assert (first["fetched"], first["unchanged"], first["failed"]) == (3, 0, 0)
    assert {row["url"] for row in first["sources"]} == set(urls.values())


def test_refetch_sends_validators_of_the_last_snapshot(two_crawls):
    db_url, _, _, urls, requests = two_crawls
    (snapshot,) = snapshots(db_url, urls["validated"])
    path = PATHS["validated"]
    sent = [{k.lower(): v for k, v in r["headers"].items()} for r in requests if r["path"] == path]
    assert len(sent) == 1
    assert sent[0]["if-none-match"] == snapshot.etag
    assert sent[0]["if-modified-since"] == snapshot.last_modified


def test_304_records_a_check_but_no_snapshot(two_crawls):
    db_url, first, second, urls, _ = two_crawls
    row = by_url(second)[urls["validated"]]
    assert (row["http_status"], row["outcome"], row["status"]) == (304, "unchanged", "ok")
    (snapshot,) = snapshots(db_url, urls["validated"])
    assert row["snapshot_id"] == snapshot.id == by_url(first)[urls["validated"]]["snapshot_id"]
    assert [check.http_status for check in checks(db_url, urls["validated"])] == [200, 304]


def test_identical_body_without_validators_records_a_check_but_no_snapshot(two_crawls):
    db_url, _, second, urls, _ = two_crawls
    row = by_url(second)[urls["no_validators"]]
    assert (row["http_status"], row["outcome"], row["status"]) == (200, "unchanged", "ok")
    assert len(snapshots(db_url, urls["no_validators"])) == 1
    assert [check.outcome for check in checks(db_url, urls["no_validators"])] == ["fetched", "unchanged"]


def test_changed_body_makes_a_new_snapshot_and_keeps_the_old_one(two_crawls):
    db_url, first, second, urls, _ = two_crawls
    old, new = snapshots(db_url, urls["drifting"])
    assert old.id == by_url(first)[urls["drifting"]]["snapshot_id"]
    assert new.id == by_url(second)[urls["drifting"]]["snapshot_id"]
    assert by_url(second)[urls["drifting"]]["outcome"] == "fetched"
    assert DRIFT_SUPPORTED in old.text and DRIFT_REPLACED not in old.text
    assert DRIFT_REPLACED in new.text
    assert old.content_hash != new.content_hash and old.body_id != new.body_id


def test_second_crawl_counts_unchanged_and_fetched(two_crawls):
    _, _, second, _, _ = two_crawls
    assert (second["fetched"], second["unchanged"], second["failed"]) == (1, 2, 0)
