"""The demo/mock web site: static files with validators, and each misbehaving endpoint the crawl tests rely on."""

from __future__ import annotations

import gzip
import http.client
import json
import time
from email.utils import formatdate
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from crawler.demo import samples
from crawler.demo.server import DemoServer, run_server
from tests.fixtures.site import make_files
from tests.mockserver import SITE, MockServer

Response = tuple[int, http.client.HTTPMessage, bytes]


def fetch(server: MockServer, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> Response:
    """Send one request without following redirects; return status, headers and (decoded-chunked) body."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_static_html_has_utf8_content_type_and_validators(mockserver: MockServer) -> None:
    status, headers, body = fetch(mockserver, "/journal/open-weights-global-south.html")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["ETag"] and headers["Last-Modified"]
    assert int(headers["Content-Length"]) == len(body)
    assert b"Open-weight models and research capacity" in body


def test_static_folder_serves_its_index(mockserver: MockServer) -> None:
    status, _, body = fetch(mockserver, "/gov/reports/open-model-weights/")
    assert status == 200
    assert b"Download the report (PDF)" in body


def test_pdf_and_text_have_their_content_types(mockserver: MockServer) -> None:
    status, headers, body = fetch(mockserver, "/gov/reports/open-model-weights/report.pdf")
    assert (status, headers["Content-Type"]) == (200, "application/pdf")
    assert body.startswith(b"%PDF-")
    _, headers, _ = fetch(mockserver, "/text/ccpl-ntia-notes.txt")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"


def test_if_none_match_with_current_etag_answers_304_without_body(mockserver: MockServer) -> None:
    _, headers, _ = fetch(mockserver, "/blog/eu-ai-act-open-source.html")
    status, again, body = fetch(mockserver, "/blog/eu-ai-act-open-source.html", {"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    assert again["ETag"] == headers["ETag"]


def test_stale_etag_gets_the_full_page(mockserver: MockServer) -> None:
    status, _, body = fetch(mockserver, "/blog/eu-ai-act-open-source.html", {"If-None-Match": '"stale"'})
    assert status == 200 and body


def test_if_modified_since_answers_304_only_when_not_modified(mockserver: MockServer) -> None:
    _, headers, _ = fetch(mockserver, "/blog/eu-ai-act-open-source.html")
    unchanged = fetch(mockserver, "/blog/eu-ai-act-open-source.html", {"If-Modified-Since": headers["Last-Modified"]})
    old = formatdate(0, usegmt=True)
    changed = fetch(mockserver, "/blog/eu-ai-act-open-source.html", {"If-Modified-Since": old})
    assert (unchanged[0], changed[0]) == (304, 200)


def test_head_answers_headers_without_body(mockserver: MockServer) -> None:
    status, headers, body = fetch(mockserver, "/thinktank/open-source-ai-resilience.html", method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) > 1000


def test_nocache_serves_same_file_without_validators(mockserver: MockServer) -> None:
    status, headers, body = fetch(mockserver, "/nocache/blog/eu-ai-act-open-source.html", {"If-None-Match": "*"})
    assert status == 200 and b"EU AI Act" in body
    assert "ETag" not in headers and "Last-Modified" not in headers


def test_missing_file_and_path_traversal_are_404(mockserver: MockServer) -> None:
    assert fetch(mockserver, "/no/such/page.html")[0] == 404
    assert fetch(mockserver, "/../../conftest.py")[0] == 404
    assert fetch(mockserver, "/encodings/utf8-bom.html.headers")[0] == 404


def test_sidecar_sets_status_and_headers(mockserver: MockServer) -> None:
    status, headers, _ = fetch(mockserver, "/members/annual-review.html")
    assert status == 401
    assert headers["WWW-Authenticate"].startswith("Bearer")


def test_fixed_redirect_moves_article_permanently(mockserver: MockServer) -> None:
    status, headers, _ = fetch(mockserver, "/2025/06/resilience-open-source-ai")
    assert (status, headers["Location"]) == (301, "/thinktank/open-source-ai-resilience.html")


def test_robots_txt_disallows_private(mockserver: MockServer) -> None:
    status, _, body = fetch(mockserver, "/robots.txt")
    assert status == 200 and b"Disallow: /private/" in body


@pytest.mark.parametrize("code", [404, 410, 500, 451])
def test_status_endpoint_answers_the_code(mockserver: MockServer, code: int) -> None:
    assert fetch(mockserver, f"/status/{code}")[0] == code


def test_status_endpoint_adds_retry_after_and_redirect_location(mockserver: MockServer) -> None:
    assert fetch(mockserver, "/status/503?retry_after=7")[1]["Retry-After"] == "7"
    assert fetch(mockserver, "/status/301?to=/blog/")[1]["Location"] == "/blog/"


def test_redirect_points_to_another_host(mockserver: MockServer, mockserver2: MockServer) -> None:
    target = mockserver2.url("/blog/eu-ai-act-open-source.html")
    status, headers, _ = fetch(mockserver, f"/redirect?to={quote(target)}&status=307")
    assert (status, headers["Location"]) == (307, target)
    assert urlsplit(target).hostname == "127.0.0.2"
    assert fetch(mockserver2, "/blog/eu-ai-act-open-source.html")[0] == 200


def test_redirect_permanent_is_301(mockserver: MockServer) -> None:
    status, headers, _ = fetch(mockserver, "/redirect-permanent?to=/journal/")
    assert (status, headers["Location"]) == (301, "/journal/")


def test_redirect_chain_walks_every_hop_to_the_target(mockserver: MockServer) -> None:
    path, hops = "/redirect/3?to=/blog/eu-ai-act-open-source.html", []
    while True:
        status, headers, body = fetch(mockserver, path)
        if status != 302:
            break
        path = headers["Location"]
        hops.append(path)
    assert hops == [
        "/redirect/2?to=%2Fblog%2Feu-ai-act-open-source.html",
        "/redirect/1?to=%2Fblog%2Feu-ai-act-open-source.html",
        "/blog/eu-ai-act-open-source.html",
    ]
    assert status == 200 and b"EU AI Act" in body
    assert fetch(mockserver, "/redirect/0")[0] == 200


def test_loop_redirects_back_and_forth(mockserver: MockServer) -> None:
    assert fetch(mockserver, "/loop/a")[1]["Location"] == "/loop/b"
    assert fetch(mockserver, "/loop/b")[1]["Location"] == "/loop/a"


def test_redirect_home_sends_any_path_to_root(mockserver: MockServer) -> None:
    assert fetch(mockserver, "/redirect-home/2024/report-removed")[1]["Location"] == "/"


def test_delay_answers_after_the_delay(mockserver: MockServer) -> None:
    started = time.monotonic()
    assert fetch(mockserver, "/delay/0.3")[0] == 200
    assert time.monotonic() - started >= 0.3


def test_flaky_fails_n_times_per_key_then_succeeds(mockserver: MockServer) -> None:
    first, second = fetch(mockserver, "/flaky/fk-a/2"), fetch(mockserver, "/flaky/fk-a/2")
    assert (first[0], second[0], first[1]["Retry-After"]) == (503, 503, "1")
    assert fetch(mockserver, "/flaky/fk-b/1?status=429&retry_after=none")[0:1] == (429,)
    assert fetch(mockserver, "/flaky/fk-a/2")[0] == 200
    assert fetch(mockserver, "/flaky/fk-b/1")[0] == 200


def test_reset_restarts_the_flaky_counter(mockserver: MockServer) -> None:
    fetch(mockserver, "/flaky/fk-reset/1")
    assert fetch(mockserver, "/flaky/fk-reset/1")[0] == 200
    mockserver.reset()
    assert fetch(mockserver, "/flaky/fk-reset/1")[0] == 503


def test_drift_replaces_the_supporting_passage_after_first_fetch(mockserver: MockServer) -> None:
    first, second = fetch(mockserver, "/drift/d1"), fetch(mockserver, "/drift/d1")
    assert samples.DRIFT_SUPPORTED.encode() in first[2] and samples.DRIFT_SUPPORTED.encode() not in second[2]
    assert samples.DRIFT_REPLACED.encode() in second[2]
    assert first[1]["ETag"] != second[1]["ETag"]
    assert fetch(mockserver, "/drift/d1", {"If-None-Match": second[1]["ETag"]})[0] == 304


def test_drift_after_n_keeps_the_passage_for_n_fetches(mockserver: MockServer) -> None:
    bodies = [fetch(mockserver, "/drift/d2?after=2")[2] for _ in range(3)]
    assert [samples.DRIFT_SUPPORTED.encode() in body for body in bodies] == [True, True, False]


def test_cosmetic_drift_changes_chrome_but_keeps_the_text(mockserver: MockServer) -> None:
    first, second = fetch(mockserver, "/drift-cosmetic/c1"), fetch(mockserver, "/drift-cosmetic/c1")
    assert first[2] != second[2] and first[1]["ETag"] != second[1]["ETag"]
    for body in (first[2], second[2]):
        assert samples.DRIFT_SUPPORTED.encode() in body and samples.DRIFT_REPLACED.encode() not in body


def test_big_page_has_exact_length_with_or_without_content_length(mockserver: MockServer) -> None:
    status, headers, body = fetch(mockserver, "/big/1")
    assert (status, int(headers["Content-Length"]), len(body)) == (200, 1024 * 1024, 1024 * 1024)
    _, headers, body = fetch(mockserver, "/big/0.5?chunked=1")
    assert headers["Transfer-Encoding"] == "chunked" and "Content-Length" not in headers
    assert len(body) == 512 * 1024


def test_gzip_bomb_is_small_on_the_wire_and_huge_inflated(mockserver: MockServer) -> None:
    status, headers, body = fetch(mockserver, "/gzip-bomb?megabytes=8")
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert len(body) < 64 * 1024
    assert len(gzip.decompress(body)) > 8 * 1024 * 1024


@pytest.mark.parametrize("codec", sorted(samples.CHARSETS))
def test_charset_page_decodes_with_its_declared_charset(mockserver: MockServer, codec: str) -> None:
    _, headers, body = fetch(mockserver, f"/charset/{codec}")
    assert headers["Content-Type"] == f"text/html; charset={codec}"
    assert samples.CHARSET_SAMPLES[samples.CHARSETS[codec]] in body.decode(codec)


def test_charset_declarations_can_conflict_or_be_absent(mockserver: MockServer) -> None:
    _, headers, body = fetch(mockserver, "/charset/windows-1251?header=none&meta=iso-8859-1")
    assert headers["Content-Type"] == "text/html" and b'<meta charset="iso-8859-1">' in body
    _, _, body = fetch(mockserver, "/charset/utf-8?bom=1&meta=none")
    assert body.startswith(b"\xef\xbb\xbf") and b"<meta" not in body
    assert fetch(mockserver, "/charset/ebcdic")[0] == 404


@pytest.mark.parametrize(
    ("name", "codec", "declared"),
    [("latin1-honest.html", "iso-8859-1", "; charset=iso-8859-1"), ("sjis-meta-only.html", "shift_jis", ""),
     ("cp1251-conflicting.html", "windows-1251", "; charset=windows-1251")],
)  # fmt: skip
def test_encoded_fixture_pages_carry_their_declared_headers(
    mockserver: MockServer, name: str, codec: str, declared: str
) -> None:
    _, headers, body = fetch(mockserver, f"/encodings/{name}")
    assert headers["Content-Type"] == f"text/html{declared}"
    assert make_files.ENCODED_TEXT[codec][1] in body.decode(codec)


def test_utf8_bom_page_contradicts_its_header(mockserver: MockServer) -> None:
    _, headers, body = fetch(mockserver, "/encodings/utf8-bom.html")
    assert headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert body.startswith(b"\xef\xbb\xbf") and "開放権重" in body[3:].decode("utf-8")


def test_catchall_answers_200_not_found_for_any_path(mockserver: MockServer) -> None:
    first, second = fetch(mockserver, "/catchall/report-2024"), fetch(mockserver, "/catchall/a/b/c?x=1")
    assert (first[0], second[0]) == (200, 200)
    assert first[2] == second[2] and b"Page not found" in first[2]


def test_catchall_server_answers_unknown_root_paths_with_200(catchall_server: MockServer) -> None:
    status, _, body = fetch(catchall_server, "/q7z1x/random-probe")
    assert status == 200 and b"Page not found" in body
    assert b"EU AI Act" in fetch(catchall_server, "/blog/eu-ai-act-open-source.html")[2]


def test_bot_wall_is_403_with_its_own_server_header(mockserver: MockServer) -> None:
    status, headers, body = fetch(mockserver, "/bot-wall/article")
    assert (status, headers.get_all("Server")) == (403, ["demo-bot-shield"])
    assert b"verify you are human" in body


def test_image_is_a_png(mockserver: MockServer) -> None:
    status, headers, body = fetch(mockserver, "/image.png")
    assert (status, headers["Content-Type"]) == (200, "image/png")
    assert body.startswith(b"\x89PNG\r\n\x1a\n")


def test_wayback_available_returns_closest_capture_in_archive_org_shape(mockserver: MockServer) -> None:
    url = mockserver.url("/gone/open-weights-explainer")
    _, headers, body = fetch(mockserver, f"/wayback/available?url={quote(url)}&timestamp=20250401")
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
    later = json.loads(fetch(mockserver, f"/wayback/available?url={quote(url)}&timestamp=2026")[2])
    assert later["archived_snapshots"]["closest"]["status"] == "404"


def test_wayback_available_is_empty_for_unknown_url(mockserver: MockServer) -> None:
    answer = json.loads(fetch(mockserver, "/wayback/available?url=http://example.invalid/x")[2])
    assert answer == {"url": "http://example.invalid/x", "archived_snapshots": {}}


def test_wayback_replays_capture_with_its_archived_status(mockserver: MockServer) -> None:
    url = mockserver.url("/gone/open-weights-explainer")
    status, _, body = fetch(mockserver, f"/web/20250301120000/{url}")
    assert status == 200 and b"should not restrict" in body
    assert fetch(mockserver, f"/web/20260501000000/{url}")[0] == 404
    assert fetch(mockserver, f"/web/19990101000000/{url}")[0] == 404


def test_wayback_capture_added_at_run_time_lasts_until_reset(mockserver: MockServer) -> None:
    url = mockserver.url("/status/410?id=7")
    mockserver.add_capture(url, "20260102030405", "archive/open-weights-explainer.html")
    closest = json.loads(fetch(mockserver, f"/wayback/available?url={quote(url)}")[2])["archived_snapshots"]["closest"]
    assert closest["timestamp"] == "20260102030405"
    assert fetch(mockserver, closest["url"].removeprefix(mockserver.base_url))[0] == 200
    mockserver.reset()
    assert json.loads(fetch(mockserver, f"/wayback/available?url={quote(url)}")[2])["archived_snapshots"] == {}


def test_missing_parameter_is_400(mockserver: MockServer) -> None:
    assert fetch(mockserver, "/__wayback/add?url=x")[0] == 400


def test_request_log_records_headers_but_not_control_paths(mockserver: MockServer) -> None:
    mockserver.reset()
    fetch(mockserver, "/blog/eu-ai-act-open-source.html?utm=1", {"User-Agent": "citetrack-test"})
    logged = mockserver.requests()
    assert [(entry["path"], entry["query"], entry["headers"]["User-Agent"]) for entry in logged] == [
        ("/blog/eu-ai-act-open-source.html", {"utm": "1"}, "citetrack-test")
    ]
    assert mockserver.hits("/blog/eu-ai-act-open-source.html") == 1


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
