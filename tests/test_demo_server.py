"""The demo site: static files with validators, the drifting page and the fake Wayback API; nothing else."""

from __future__ import annotations

import http.client
import json
from email.utils import formatdate
from pathlib import Path
from urllib.parse import quote

import pytest

from crawler.demo import samples
from crawler.demo.server import DemoServer, run_server
from tests.fixtures.site import make_files
from tests.mockserver import SITE, MockServer


def test_static_html_has_utf8_content_type_and_validators(mockserver: MockServer) -> None:
    status, headers, body = mockserver.raw("/journal/open-weights-global-south.html")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["ETag"] and headers["Last-Modified"]
    assert int(headers["Content-Length"]) == len(body)
    assert b"Open-weight models and research capacity" in body


def test_static_folder_serves_its_index(mockserver: MockServer) -> None:
    status, _, body = mockserver.raw("/gov/reports/open-model-weights/")
    assert status == 200
    assert b"Download the report (PDF)" in body


def test_pdf_and_text_have_their_content_types(mockserver: MockServer) -> None:
    status, headers, body = mockserver.raw("/gov/reports/open-model-weights/report.pdf")
    assert (status, headers["Content-Type"]) == (200, "application/pdf")
    assert body.startswith(b"%PDF-")
    _, headers, _ = mockserver.raw("/text/ccpl-ntia-notes.txt")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"


def test_if_none_match_with_current_etag_answers_304_without_body(mockserver: MockServer) -> None:
    _, headers, _ = mockserver.raw("/blog/eu-ai-act-open-source.html")
    status, again, body = mockserver.raw("/blog/eu-ai-act-open-source.html", {"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    assert again["ETag"] == headers["ETag"]


def test_stale_etag_gets_the_full_page(mockserver: MockServer) -> None:
    status, _, body = mockserver.raw("/blog/eu-ai-act-open-source.html", {"If-None-Match": '"stale"'})
    assert status == 200 and body


def test_if_modified_since_answers_304_only_when_not_modified(mockserver: MockServer) -> None:
    _, headers, _ = mockserver.raw("/blog/eu-ai-act-open-source.html")
    unchanged = mockserver.raw("/blog/eu-ai-act-open-source.html", {"If-Modified-Since": headers["Last-Modified"]})
    old = formatdate(0, usegmt=True)
    changed = mockserver.raw("/blog/eu-ai-act-open-source.html", {"If-Modified-Since": old})
    assert (unchanged[0], changed[0]) == (304, 200)


def test_head_answers_headers_without_body(mockserver: MockServer) -> None:
    status, headers, body = mockserver.raw("/thinktank/open-source-ai-resilience.html", method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) > 1000


def test_missing_file_and_path_traversal_are_404(mockserver: MockServer) -> None:
    assert mockserver.raw("/no/such/page.html")[0] == 404
    assert mockserver.raw("/../../conftest.py")[0] == 404
    assert mockserver.raw("/encodings/utf8-bom.html.headers")[0] == 404


def test_sidecar_sets_status_and_headers(mockserver: MockServer) -> None:
    status, headers, _ = mockserver.raw("/members/annual-review.html")
    assert status == 401
    assert headers["WWW-Authenticate"].startswith("Bearer")


def test_fixed_redirect_moves_article_permanently(mockserver: MockServer) -> None:
    status, headers, _ = mockserver.raw("/2025/06/resilience-open-source-ai")
    assert (status, headers["Location"]) == (301, "/thinktank/open-source-ai-resilience.html")


def test_robots_txt_disallows_private(mockserver: MockServer) -> None:
    status, _, body = mockserver.raw("/robots.txt")
    assert status == 200 and b"Disallow: /private/" in body


def test_drift_replaces_the_supporting_passage_after_first_fetch(mockserver: MockServer) -> None:
    first, second = mockserver.raw("/drift/d1"), mockserver.raw("/drift/d1")
    assert samples.DRIFT_SUPPORTED.encode() in first[2] and samples.DRIFT_SUPPORTED.encode() not in second[2]
    assert samples.DRIFT_REPLACED.encode() in second[2]
    assert first[1]["ETag"] != second[1]["ETag"]
    assert mockserver.raw("/drift/d1", {"If-None-Match": second[1]["ETag"]})[0] == 304


def test_drift_after_n_keeps_the_passage_for_n_fetches(mockserver: MockServer) -> None:
    bodies = [mockserver.raw("/drift/d2?after=2")[2] for _ in range(3)]
    assert [samples.DRIFT_SUPPORTED.encode() in body for body in bodies] == [True, True, False]


@pytest.mark.parametrize(
    ("name", "codec", "declared"),
    [("latin1-honest.html", "iso-8859-1", "; charset=iso-8859-1"), ("sjis-meta-only.html", "shift_jis", ""),
     ("cp1251-conflicting.html", "windows-1251", "; charset=windows-1251")],
)  # fmt: skip
def test_encoded_fixture_pages_carry_their_declared_headers(
    mockserver: MockServer, name: str, codec: str, declared: str
) -> None:
    _, headers, body = mockserver.raw(f"/encodings/{name}")
    assert headers["Content-Type"] == f"text/html{declared}"
    assert make_files.ENCODED_TEXT[codec][1] in body.decode(codec)


def test_utf8_bom_page_contradicts_its_header(mockserver: MockServer) -> None:
    _, headers, body = mockserver.raw("/encodings/utf8-bom.html")
    assert headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert body.startswith(b"\xef\xbb\xbf") and "開放権重" in body[3:].decode("utf-8")


def test_wayback_available_returns_closest_capture_in_archive_org_shape(mockserver: MockServer) -> None:
    url = mockserver.url("/gone/open-weights-explainer")
    _, headers, body = mockserver.raw(f"/wayback/available?url={quote(url)}&timestamp=20250401")
    answer = json.loads(body)
    assert headers["Content-Type"] == "application/json"
    assert answer == {
        "url": url,
        "timestamp": "20250401",
        "archived_snapshots": {
            "closest": {
                "status": "200",
                "available": True,
                "url": f"{mockserver.base_url}/web/20250301120000/{url}",
                "timestamp": "20250301120000",
            }
        },
    }
    later = json.loads(mockserver.raw(f"/wayback/available?url={quote(url)}&timestamp=2026")[2])
    assert later["archived_snapshots"]["closest"]["status"] == "404"


def test_wayback_available_is_empty_for_unknown_url(mockserver: MockServer) -> None:
    answer = json.loads(mockserver.raw("/wayback/available?url=http://example.invalid/x")[2])
    assert answer == {"url": "http://example.invalid/x", "archived_snapshots": {}}


def test_wayback_replays_capture_with_its_archived_status(mockserver: MockServer) -> None:
    url = mockserver.url("/gone/open-weights-explainer")
    status, _, body = mockserver.raw(f"/web/20250301120000/{url}")
    assert status == 200 and b"should not restrict" in body
    assert mockserver.raw(f"/web/20260501000000/{url}")[0] == 404
    assert mockserver.raw(f"/web/19990101000000/{url}")[0] == 404


def test_run_server_serves_in_process_and_refuses_non_loopback(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>in process</p>", encoding="utf-8")
    server, thread = run_server(tmp_path)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        connection.request("GET", "/")
        assert connection.getresponse().read() == b"<p>in process</p>"
        connection.close()
    finally:
        server.shutdown()
        server.server_close()
    thread.join(timeout=5)
    with pytest.raises(ValueError, match="loopback"):
        DemoServer(tmp_path, host="0.0.0.0")


def test_generated_fixture_files_match_their_generator() -> None:
    stale = [str(path.relative_to(SITE)) for path, content in make_files.generated_files().items()
             if not path.is_file() or path.read_bytes() != content]  # fmt: skip
    assert stale == [], "run python tests/fixtures/site/make_files.py"


def test_the_demo_ships_only_its_site_not_the_test_endpoints(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>home</p>", encoding="utf-8")
    server, thread = run_server(tmp_path)
    try:
        for path in ("/gzip-bomb", "/flaky/x/1", "/delay/1", "/__requests", "/charset/utf-8", "/no-such-page"):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            connection.request("GET", path)
            assert connection.getresponse().status == 404, path
            connection.close()
    finally:
        server.shutdown()
        server.server_close()
    thread.join(timeout=5)
