"""WARC export of a real crawl: read back with warcio's own reader and checker, hop by hop, byte for byte."""

from __future__ import annotations

import base64
import gc
import gzip
import hashlib
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator
from warcio.cli import main as warcio_main

from benchmarks.warcstore import fill_store
from crawler.cli import main
from crawler.jobs.warc import export_warc, payload_headers
from store.engine import session_factory
from store.exports import ExportSelection
from store.models import Body
from tests.crawling import add_article, crawl, snapshots
from tests.mockserver import MockServer

HOPS = "/redirect/2"
LANDING = "/gov/reports/open-model-weights/"


def read_records(path: Path) -> list[dict[str, Any]]:
    """Read every record with warcio's reader, digests checked (a mismatch raises), payloads raw."""
    records = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, check_digests="raise"):
            records.append(
                {
                    "type": record.rec_type,
                    "warc": dict(record.rec_headers.headers),
                    "version": record.rec_headers.protocol,
                    "http": record.http_headers,
                    "payload": record.raw_stream.read(),
                }
            )
    return records


def stored_body(db_url: str, sha256: str) -> bytes:
    with session_factory(db_url).begin() as session:
        return gzip.decompress(session.scalars(select(Body.data).where(Body.sha256 == sha256)).one())


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, mockserver: MockServer) -> Iterator[dict[str, Any]]:
    """Crawl a redirect chain and a report landing page → PDF for one article, then export the article."""
    folder = tmp_path_factory.mktemp("warc")
    db_url = f"sqlite:///{folder / 'citetrack.db'}"
    urls = {"hops": mockserver.url(HOPS), "landing": mockserver.url(LANDING)}
    article_id = add_article(db_url, list(urls.values()))
    code, _ = crawl(db_url, "--allow-private")
    assert code == 0
    output = folder / "evidence.warc.gz"
    assert main(["export", "warc", "--article", str(article_id), "--output", str(output), "--db", db_url]) == 0
    yield {"db_url": db_url, "urls": urls, "article_id": article_id, "path": output, "records": read_records(output)}


def per_snapshot(records: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split the records after the warcinfo into each snapshot's run (its metadata record ends it)."""
    runs: list[list[dict[str, Any]]] = [[]]
    for record in records[1:]:
        runs[-1].append(record)
        if record["type"] == "metadata":
            runs.append([])
    return runs[:-1]


def test_each_exchange_is_a_response_and_request_pair_hop_by_hop(exported, mockserver) -> None:
    records = exported["records"]
    assert records[0]["type"] == "warcinfo"
    runs = {
        tuple((r["type"], r["warc"].get("WARC-Target-URI")) for r in run if r["type"] != "metadata")
        for run in per_snapshot(records)
    }
    hops = [mockserver.url(path) for path in ("/redirect/2", "/redirect/1", "/redirect/0")]
    documents = [mockserver.url(LANDING), mockserver.url(LANDING + "report.pdf")]
    assert runs == {
        tuple(pair for url in hops for pair in (("response", url), ("request", url))),
        tuple(pair for url in documents for pair in (("response", url), ("request", url))),
    }
    assert len(records) == 1 + 5 * 2 + 2
    assert {record["version"] for record in records} == {"WARC/1.1"}


def test_redirect_hops_carry_status_line_and_headers_with_an_empty_body(exported) -> None:
    hops = [r for r in exported["records"] if r["type"] == "response" and "/redirect/" in r["warc"]["WARC-Target-URI"]]
    first, second, _ = hops
    assert first["http"].protocol == "HTTP/1.1"
    assert first["http"].statusline == "302 Found"
    assert first["http"].get_header("Location").endswith("/redirect/1")
    assert second["http"].get_header("Location").endswith("/redirect/0")
    assert first["payload"] == b"" and first["warc"]["WARC-Truncated"] == "unspecified"
    assert first["http"].get_header("X-Archive-Orig-Content-Length") not in (None, "0")
    assert first["warc"]["WARC-IP-Address"] == "127.0.0.1"


def test_stored_bodies_are_written_byte_for_byte_with_their_digests(exported) -> None:
    (hops,) = snapshots(exported["db_url"], exported["urls"]["hops"])
    (report,) = snapshots(exported["db_url"], exported["urls"]["landing"])
    bodies = {
        r["warc"]["WARC-Target-URI"]: r for r in exported["records"] if r["type"] == "response" and r["payload"]
    }
    assert set(bodies) == {hops.fetches[0]["url"], report.fetches[1]["url"]}
    for snapshot, url in ((hops, hops.fetches[0]["url"]), (report, report.fetches[1]["url"])):
        record = bodies[url]
        body = stored_body(exported["db_url"], snapshot.content_hash)
        assert record["payload"] == body
        sha1 = base64.b32encode(hashlib.sha1(body).digest()).decode()
        assert record["warc"]["WARC-Payload-Digest"] == f"sha1:{sha1}"
        assert record["warc"]["WARC-Block-Digest"].startswith("sha1:")
        assert "WARC-Truncated" not in record["warc"]
    assert bodies[report.fetches[1]["url"]]["http"].get_header("Content-Type") == "application/pdf"


def test_the_landing_page_is_recorded_without_its_unstored_body(exported, mockserver) -> None:
    (landing,) = [
        r for r in exported["records"]
        if r["type"] == "response" and r["warc"]["WARC-Target-URI"] == mockserver.url(LANDING)
    ]  # fmt: skip
    assert landing["http"].statusline == "200 OK"
    assert landing["http"].get_header("Content-Type").startswith("text/html")
    assert landing["payload"] == b"" and landing["warc"]["WARC-Truncated"] == "unspecified"


def test_every_record_is_dated_at_the_fetch_time(exported) -> None:
    (hops,) = snapshots(exported["db_url"], exported["urls"]["hops"])
    (report,) = snapshots(exported["db_url"], exported["urls"]["landing"])
    dates = {r["warc"]["WARC-Date"] for r in exported["records"] if r["type"] != "warcinfo"}
    expected = {snap.fetched_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ") for snap in (hops, report)}
    assert dates == expected


def test_requests_are_as_sent_and_linked_to_their_responses(exported) -> None:
    records = exported["records"]
    response_ids = {r["warc"]["WARC-Record-ID"]: r for r in records if r["type"] == "response"}
    requests = [r for r in records if r["type"] == "request"]
    for request in requests:
        response = response_ids[request["warc"]["WARC-Concurrent-To"]]
        assert request["warc"]["WARC-Target-URI"] == response["warc"]["WARC-Target-URI"]
        assert request["http"].protocol == "GET"
        assert request["http"].get_header("User-Agent").startswith("citetrack/")
    assert "/redirect/2 HTTP/1.1" in {request["http"].statusline for request in requests}


def test_metadata_links_each_snapshot_to_citetrack_ids_and_content_hash(exported) -> None:
    records = exported["records"]
    body_ids = {r["warc"]["WARC-Record-ID"] for r in records if r["type"] == "response" and r["payload"]}
    (hops,) = snapshots(exported["db_url"], exported["urls"]["hops"])
    metadata = [r for r in records if r["type"] == "metadata"]
    fields = sorted(
        (dict(line.split(": ", 1) for line in r["payload"].decode().splitlines()) for r in metadata),
        key=lambda f: f["citetrack-snapshot-id"] != str(hops.id),
    )
    assert {r["warc"]["WARC-Concurrent-To"] for r in metadata} == body_ids
    assert {r["warc"]["Content-Type"] for r in metadata} == {"application/warc-fields"}
    first = fields[0]
    assert first["citetrack-snapshot-id"] == str(hops.id)
    assert first["citetrack-source-id"] == str(hops.source_id)
    assert first["citetrack-content-hash"] == f"sha256:{hops.content_hash}"
    assert first["citetrack-cited-by"] == f"article {exported['article_id']} reference 1"
    assert {f["citetrack-exchanges"] for f in fields} == {"recorded"}


def test_warcio_check_validates_the_file(exported, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        warcio_main(["check", "-v", str(exported["path"])])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.count("digest pass") == len(exported["records"]) == 13


def export(db_url: str, output: Path, *selection: str) -> int:
    return main(["export", "warc", *selection, "--output", str(output), "--db", db_url])


def test_snapshots_stored_before_exchanges_get_rebuilt_headers_and_say_so(db_url, tmp_path) -> None:
    fill_store(db_url, 2, 500, legacy=True)
    assert export(db_url, tmp_path / "old.warc.gz", "--all") == 0
    records = read_records(tmp_path / "old.warc.gz")
    assert [r["type"] for r in records] == ["warcinfo", *(["response", "request"] * 2 + ["metadata"]) * 2]
    hop, hop_request, page, _, metadata = records[1:6]
    assert hop["http"].statusline == "301 Moved Permanently"
    assert hop["http"].get_header("Location") == page["warc"]["WARC-Target-URI"]
    assert hop_request["http"].headers == []
    assert page["http"].get_header("ETag") == '"v0"'
    assert page["http"].get_header("Content-Type") == "text/html; charset=utf-8"
    assert len(page["payload"]) == 500
    assert b"citetrack-exchanges: reconstructed" in metadata["payload"]


def test_a_source_export_holds_that_source_only(db_url, tmp_path) -> None:
    fill_store(db_url, 3, 700)
    url = "https://example.org/doc/13/1"
    assert export(db_url, tmp_path / "one.warc.gz", "--source", url) == 0
    records = read_records(tmp_path / "one.warc.gz")
    assert {r["warc"].get("WARC-Target-URI") for r in records[1:]} == {url, url.replace("https", "http")}
    (page,) = [r for r in records if r["type"] == "response" and r["payload"]]
    assert page["http"].get_header("Content-Length") == "700"
    assert b"citetrack-exchanges: recorded" in records[-1]["payload"]


def test_headers_that_no_longer_describe_the_payload_keep_their_value_renamed() -> None:
    headers = [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked"), ("Content-Length", "40"),
               ("Content-Type", "text/html")]  # fmt: skip
    kept, renamed = payload_headers(headers, 120)
    assert kept == [("X-Archive-Orig-Content-Encoding", "gzip"), ("X-Archive-Orig-Transfer-Encoding", "chunked"),
                    ("X-Archive-Orig-Content-Length", "40"), ("Content-Type", "text/html")]  # fmt: skip
    assert renamed == {"Content-Encoding", "Transfer-Encoding", "Content-Length"}
    assert payload_headers([("Content-Encoding", "identity"), ("Content-Length", "120")], 120) == (
        [("Content-Encoding", "identity"), ("Content-Length", "120")], set(),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("selection", "message"),
    [(["--article", "999"], "no article with id 999"), (["--source", "https://nowhere.test/x"], "no source with URL")],
)
def test_unknown_article_or_source_exits_1_in_one_line_without_a_file(
    sqlite_url, tmp_path, capsys, selection, message
) -> None:
    fill_store(sqlite_url, 1, 10)
    assert export(sqlite_url, tmp_path / "x.warc.gz", *selection) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert list(tmp_path.glob("x.warc.gz*")) == []


@pytest.mark.parametrize("argv", [["--all", "--output", "x.zip"], ["--output", "x.warc.gz"],
                                  ["--all", "--article", "1", "--output", "x.warc.gz"]])  # fmt: skip
def test_bad_usage_exits_2_in_one_line(sqlite_url, capsys, argv) -> None:
    assert main(["export", "warc", "--db", sqlite_url, *argv]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("target", ["missing/dir/out.warc.gz", "taken.warc.gz"])
def test_unwritable_output_exits_1_and_leaves_no_partial_file(sqlite_url, tmp_path, capsys, target) -> None:
    fill_store(sqlite_url, 3, 100)
    (tmp_path / "taken.warc.gz").mkdir()  # os.replace cannot put a file over a directory
    before = sorted(tmp_path.iterdir())
    assert export(sqlite_url, tmp_path / target, "--all") == 1
    err = capsys.readouterr().err
    assert err.startswith("citetrack export: error: cannot write") and err.count("\n") == 1
    assert sorted(tmp_path.iterdir()) == before
    assert list((tmp_path / "taken.warc.gz").iterdir()) == []


def test_a_thousand_snapshots_export_in_seconds(tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'large.db'}"
    fill_store(db_url, 1000, 2000)
    started = time.process_time()
    summary = export_warc(session_factory(db_url), ExportSelection(), tmp_path / "large.warc.gz")
    seconds = time.process_time() - started
    assert (summary.snapshots, summary.records) == (1000, 1 + 1000 * 5)
    assert seconds < 10  # about 2 s of CPU here; CPU time, since the machine's cores are shared


def _peak_export(db_url: str, output: Path) -> int:
    """Export every snapshot twice (the first warms caches); return the second's peak traced bytes."""
    factory = session_factory(db_url)
    export_warc(factory, ExportSelection(), output, batch_size=10)
    gc.collect()
    tracemalloc.start()
    try:
        export_warc(factory, ExportSelection(), output, batch_size=10)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_export_streams_memory_does_not_grow_with_the_store(tmp_path) -> None:
    small, large = f"sqlite:///{tmp_path / 'small.db'}", f"sqlite:///{tmp_path / 'large.db'}"
    fill_store(small, 100, 20000)
    fill_store(large, 500, 20000)
    small_peak = _peak_export(small, tmp_path / "small.warc.gz")
    large_peak = _peak_export(large, tmp_path / "large.warc.gz")
    assert large_peak < 1.3 * small_peak  # five times the snapshots (10 MB of bodies), about the same peak
    assert large_peak < 500 * 20000 / 10
