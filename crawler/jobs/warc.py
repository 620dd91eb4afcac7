"""``citetrack export warc``: stored snapshots as WARC 1.1 request, response and metadata records (warcio).

Per snapshot, each HTTP exchange behind it (every redirect hop, the landing page, its document) becomes a
response record and the request record concurrent to it, dated at the snapshot's fetch time; the response
that brought the stored body carries it byte for byte, the others their status line and headers only. A
``metadata`` record links the snapshot to citetrack's ids and content hash. Snapshots are read in batches and
bodies one at a time, so memory does not grow with the store; the file appears only when complete.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timezone
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session, sessionmaker
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from crawler import __version__
from crawler.exceptions import ExportError, UsageError
from store.exports import ExportSelection, SnapshotExport, body_gzip, count_snapshots, snapshot_batches

# Snapshot rows read per query; bodies are read one at a time whatever this is.
BATCH_SIZE = 200
# A header that no longer describes the payload as written (stored decoded, or not stored) keeps its value
# under this prefix, as web archive replay tools name the original headers.
ORIGINAL_PREFIX = "X-Archive-Orig-"
# Statuses whose responses have no body: their records are complete without a payload.
BODILESS_STATUSES = frozenset({204, 304})


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange to write: what was sent, what came back, and whether the stored body is its payload."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    protocol: str | None
    status: int
    response_headers: list[tuple[str, str]]
    ip_address: str | None = None
    holds_body: bool = False


@dataclass
class WarcSummary:
    """What an export wrote: the file, its snapshots and records, and how many snapshots had no recorded headers."""

    output: str
    snapshots: int = 0
    records: int = 0
    reconstructed: int = 0
    bytes: int = 0


def export_warc(
    factory: sessionmaker[Session],
    selection: ExportSelection,
    output: Path,
    on_start: Callable[[int], None] = lambda total: None,
    on_progress: Callable[[], None] = lambda: None,
    batch_size: int = BATCH_SIZE,
) -> WarcSummary:
    """Write the selected snapshots to ``output`` (``.warc.gz``: a gzip member per record; ``.warc``: plain).

    Raises ``NotFound`` for an unknown article or source before any file is made, and ``ExportError`` when
    the file cannot be written (no partial file is left).
    """
    compress = _compressed(output)
    summary = WarcSummary(str(output))
    with factory.begin() as session:
        on_start(count_snapshots(session, selection))
        with _atomic_file(output) as stream:
            writer = WARCWriter(stream, gzip=compress, warc_version="1.1")
            writer.write_record(_warcinfo(writer, output.name))
            summary.records += 1
            for batch in snapshot_batches(session, selection, batch_size):
                for snapshot in batch:
                    summary.records += _write_snapshot(writer, session, snapshot, summary)
                    summary.snapshots += 1
                    on_progress()
            summary.bytes = stream.tell()
    return summary


def snapshot_exchanges(snapshot: SnapshotExport) -> Iterator[Exchange]:
    """Yield a snapshot's exchanges in the order they happened: each fetch's redirect hops, then the fetch.

    Fetches stored before exchanges were recorded get their exchange rebuilt from what the snapshot kept
    (status, URL, Content-Type, validators, the next hop as Location); failed fetches have no response.
    """
    fetches = snapshot.fetches or [
        {"url": snapshot.final_url or snapshot.source_url, "status": snapshot.http_status,
         "content_type": snapshot.content_type}
    ]  # fmt: skip
    body_index = _body_fetch(snapshot, fetches)
    for index, fetch in enumerate(fetches):
        if recorded(fetch):
            yield from (_recorded(hop) for hop in fetch.get("redirects", []))
        elif index == 0:
            yield from _rebuilt_hops(snapshot.redirect_chain, fetch["url"])
        if fetch.get("status") is None:
            continue
        exchange = _recorded(fetch) if recorded(fetch) else _rebuilt(fetch, snapshot if index == body_index else None)
        yield replace(exchange, holds_body=index == body_index)


def recorded(fetch: dict[str, Any]) -> bool:
    """Say whether a fetch entry kept its exchange as sent and received (crawls since WARC export)."""
    return "response_headers" in fetch


def _write_snapshot(writer: WARCWriter, session: Session, snapshot: SnapshotExport, summary: WarcSummary) -> int:
    """Write one snapshot's request/response pairs and its metadata record; return how many records."""
    date = datetime_to_iso_date(snapshot.fetched_at.astimezone(timezone.utc).replace(tzinfo=None), use_micros=True)
    body = gzip.decompress(body_gzip(session, snapshot.body_id)) if snapshot.body_id is not None else b""
    records, body_record, renamed = 0, None, set()
    for exchange in snapshot_exchanges(snapshot):
        payload = body if exchange.holds_body else b""
        response, names = _response_record(writer, exchange, payload, date)
        writer.write_request_response_pair(_request_record(writer, exchange, date), response)
        records += 2
        renamed |= names
        if exchange.holds_body:
            body_record = (exchange.url, response.rec_headers.get_header("WARC-Record-ID"))
    answered = [fetch for fetch in snapshot.fetches if fetch.get("status") is not None]
    reconstructed = not answered or not all(recorded(fetch) for fetch in answered)
    summary.reconstructed += reconstructed
    writer.write_record(_metadata_record(writer, snapshot, date, body_record, renamed, reconstructed))
    return records + 1


def _request_record(writer: WARCWriter, exchange: Exchange, date: str) -> Any:
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = StatusAndHeaders(f"{exchange.method} {target} {_version(exchange.protocol)}", exchange.request_headers)
    return writer.create_warc_record(
        exchange.url, "request", payload=BytesIO(), length=0, http_headers=headers,
        warc_headers_dict={"WARC-Date": date},
    )  # fmt: skip


def _response_record(writer: WARCWriter, exchange: Exchange, payload: bytes, date: str) -> tuple[Any, set[str]]:
    """Return the response record and the headers renamed because they no longer describe the payload."""
    headers, renamed = payload_headers(exchange.response_headers, len(payload))
    status_line = f"{exchange.status} {_reason(exchange.status)}".rstrip()
    warc_headers = {"WARC-Date": date}
    if exchange.ip_address:
        warc_headers["WARC-IP-Address"] = exchange.ip_address
    if not exchange.holds_body and not _complete_without_body(exchange):
        warc_headers["WARC-Truncated"] = "unspecified"
    record = writer.create_warc_record(
        exchange.url, "response", payload=BytesIO(payload), length=len(payload),
        http_headers=StatusAndHeaders(status_line, headers, protocol=_version(exchange.protocol)),
        warc_headers_dict=warc_headers,
    )  # fmt: skip
    return record, renamed


def payload_headers(headers: list[tuple[str, str]], length: int) -> tuple[list[tuple[str, str]], set[str]]:
    """Return headers fit for a payload written decoded and whole (or empty): a Transfer-Encoding, a
    Content-Encoding and a Content-Length that no longer hold keep their value under ``X-Archive-Orig-``."""
    kept: list[tuple[str, str]] = []
    renamed: set[str] = set()
    for name, value in headers:
        lower = name.lower()
        stale = (
            lower == "transfer-encoding"
            or (lower == "content-encoding" and value.strip().lower() != "identity")
            or (lower == "content-length" and value.strip() != str(length))
        )
        if stale:
            renamed.add(name)
        kept.append((ORIGINAL_PREFIX + name if stale else name, value))
    return kept, renamed


def _metadata_record(
    writer: WARCWriter,
    snapshot: SnapshotExport,
    date: str,
    body_record: tuple[str, str] | None,
    renamed: set[str],
    reconstructed: bool,
) -> Any:
    fields = [
        ("citetrack-snapshot-id", snapshot.snapshot_id),
        ("citetrack-source-id", snapshot.source_id),
        ("citetrack-source-url", snapshot.source_url),
        ("citetrack-fetched-at", snapshot.fetched_at.isoformat()),
        ("citetrack-content-hash", f"sha256:{snapshot.content_hash}"),
        ("citetrack-body-size", snapshot.body_size),
        ("citetrack-content-type", snapshot.content_type),
        ("citetrack-extractor", snapshot.extractor),
        *(("citetrack-cited-by", f"article {article} reference {number}") for article, number in snapshot.cited_by),
        ("citetrack-exchanges", "reconstructed" if reconstructed else "recorded"),
        *(("citetrack-renamed-header", f"{name} as {ORIGINAL_PREFIX}{name}") for name in sorted(renamed)),
        *(
            ("citetrack-failed-fetch", f"{fetch['url']} {fetch.get('failure', '')}".rstrip())
            for fetch in snapshot.fetches
            if fetch.get("status") is None
        ),
    ]
    content = "".join(f"{name}: {value}\r\n" for name, value in fields if value is not None).encode("utf-8")
    warc_headers = {"WARC-Date": date}
    if body_record is not None:
        warc_headers["WARC-Concurrent-To"] = body_record[1]
    uri = body_record[0] if body_record is not None else snapshot.source_url
    return writer.create_warc_record(
        uri, "metadata", payload=BytesIO(content), length=len(content),
        warc_content_type="application/warc-fields", warc_headers_dict=warc_headers,
    )  # fmt: skip


def _warcinfo(writer: WARCWriter, filename: str) -> Any:
    return writer.create_warcinfo_record(
        filename,
        {
            "software": f"citetrack/{__version__}",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "description": "Sources cited by articles as citetrack fetched and stored them; a metadata record "
            "per snapshot names citetrack's ids and content hash.",
        },
    )


def _recorded(entry: dict[str, Any]) -> Exchange:
    return Exchange(
        url=entry["url"], method=entry.get("method") or "GET", request_headers=_pairs(entry.get("request_headers")),
        protocol=entry.get("protocol"), status=int(entry["status"]),
        response_headers=_pairs(entry.get("response_headers")), ip_address=entry.get("ip_address"),
    )  # fmt: skip


def _rebuilt(fetch: dict[str, Any], body_of: SnapshotExport | None) -> Exchange:
    """Rebuild a fetch's exchange from its stored status and Content-Type (and validators, for the body's)."""
    headers = [("Content-Type", fetch.get("content_type"))]
    if body_of is not None:
        headers += [("ETag", body_of.etag), ("Last-Modified", body_of.last_modified)]
    kept = [(name, value) for name, value in headers if value]
    return Exchange(fetch["url"], "GET", [], None, int(fetch["status"]), kept)


def _rebuilt_hops(chain: list[dict[str, Any]], final_url: str) -> Iterator[Exchange]:
    """Rebuild redirect hops from the stored chain, each pointing at the next (meta refreshes have no status)."""
    targets = [hop["url"] for hop in chain[1:]] + [final_url]
    for hop, target in zip(chain, targets, strict=True):
        if hop.get("status") is not None:
            yield Exchange(hop["url"], "GET", [], None, int(hop["status"]), [("Location", target)])


def _body_fetch(snapshot: SnapshotExport, fetches: list[dict[str, Any]]) -> int | None:
    """Return the index of the fetch that brought the stored body: by its hash, else the last 2xx fetch."""
    if snapshot.body_id is None:
        return None
    for index, fetch in enumerate(fetches):
        if snapshot.body_sha256 is not None and fetch.get("sha256") == snapshot.body_sha256:
            return index
    successes = [index for index, fetch in enumerate(fetches) if 200 <= (fetch.get("status") or 0) < 300]
    return successes[-1] if successes else 0


def _complete_without_body(exchange: Exchange) -> bool:
    """Say whether a response had no body to leave out (no-body status, HEAD, or Content-Length 0)."""
    length = next((value for name, value in exchange.response_headers if name.lower() == "content-length"), None)
    return exchange.status in BODILESS_STATUSES or exchange.method == "HEAD" or (length or "").strip() == "0"


def _pairs(headers: list[list[str]] | None) -> list[tuple[str, str]]:
    return [(str(name), str(value)) for name, value in headers or []]


def _version(protocol: str | None) -> str:
    """Return the HTTP version for a status or request line (Scrapy names HTTP/2 ``h2``; unknown: HTTP/1.1)."""
    if protocol == "h2":
        return "HTTP/2"
    return protocol if protocol and protocol.upper().startswith("HTTP/") else "HTTP/1.1"


def _reason(status: int) -> str:
    """Return the standard reason phrase of a status (Scrapy does not keep the server's)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _compressed(output: Path) -> bool:
    """Return whether ``output`` is a ``.warc.gz`` (else a plain ``.warc``); anything else is a usage error."""
    if output.name.endswith(".warc.gz"):
        return True
    if output.name.endswith(".warc"):
        return False
    raise UsageError(f"--output must end in .warc.gz (or .warc for an uncompressed file): {output}")


@contextmanager
def _atomic_file(output: Path) -> Iterator[IO[bytes]]:
    """Yield a temporary file beside ``output`` that replaces it only when the block completes."""
    try:
        handle = tempfile.NamedTemporaryFile(
            dir=output.parent, prefix=f".{output.name}.", suffix=".part", delete=False
        )  # fmt: skip
    except OSError as error:
        raise ExportError(f"cannot write {output}: {error.strerror or error}") from None
    try:
        with handle:
            yield handle
        os.replace(handle.name, output)
    except OSError as error:
        Path(handle.name).unlink(missing_ok=True)
        raise ExportError(f"cannot write {output}: {error.strerror or error}") from None
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
