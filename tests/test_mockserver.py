"""The test server's own endpoints: statuses, redirects, slow, flaky and huge pages, bombs, charsets, its log."""

from __future__ import annotations

import gzip
import json
import time
from urllib.parse import quote, urlsplit

import pytest

from crawler.demo import samples as demo_samples
from tests.mockserver import MockServer, samples


def test_nocache_serves_same_file_without_validators(mockserver: MockServer) -> None:
    status, headers, body = mockserver.raw("/nocache/blog/eu-ai-act-open-source.html", {"If-None-Match": "*"})
    assert status == 200 and b"EU AI Act" in body
    assert "ETag" not in headers and "Last-Modified" not in headers


@pytest.mark.parametrize("code", [404, 410, 500, 451])
def test_status_endpoint_answers_the_code(mockserver: MockServer, code: int) -> None:
    assert mockserver.raw(f"/status/{code}")[0] == code


def test_status_endpoint_adds_retry_after_and_redirect_location(mockserver: MockServer) -> None:
    assert mockserver.raw("/status/503?retry_after=7")[1]["Retry-After"] == "7"
    assert mockserver.raw("/status/301?to=/blog/")[1]["Location"] == "/blog/"


def test_redirect_points_to_another_host(mockserver: MockServer, mockserver2: MockServer) -> None:
    target = mockserver2.url("/blog/eu-ai-act-open-source.html")
    status, headers, _ = mockserver.raw(f"/redirect?to={quote(target)}&status=307")
    assert (status, headers["Location"]) == (307, target)
    assert urlsplit(target).hostname == "127.0.0.2"
    assert mockserver2.raw("/blog/eu-ai-act-open-source.html")[0] == 200


def test_redirect_permanent_is_301(mockserver: MockServer) -> None:
    status, headers, _ = mockserver.raw("/redirect-permanent?to=/journal/")
    assert (status, headers["Location"]) == (301, "/journal/")


def test_redirect_chain_walks_every_hop_to_the_target(mockserver: MockServer) -> None:
    path, hops = "/redirect/3?to=/blog/eu-ai-act-open-source.html", []
    while True:
        status, headers, body = mockserver.raw(path)
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
    assert mockserver.raw("/redirect/0")[0] == 200


def test_loop_redirects_back_and_forth(mockserver: MockServer) -> None:
    assert mockserver.raw("/loop/a")[1]["Location"] == "/loop/b"
    assert mockserver.raw("/loop/b")[1]["Location"] == "/loop/a"


def test_redirect_home_sends_any_path_to_root(mockserver: MockServer) -> None:
    assert mockserver.raw("/redirect-home/2024/report-removed")[1]["Location"] == "/"


def test_delay_answers_after_the_delay(mockserver: MockServer) -> None:
    started = time.monotonic()
    assert mockserver.raw("/delay/0.3")[0] == 200
    assert time.monotonic() - started >= 0.3


def test_flaky_fails_n_times_per_key_then_succeeds(mockserver: MockServer) -> None:
    first, second = mockserver.raw("/flaky/fk-a/2"), mockserver.raw("/flaky/fk-a/2")
    assert (first[0], second[0], first[1]["Retry-After"]) == (503, 503, "1")
    assert mockserver.raw("/flaky/fk-b/1?status=429&retry_after=none")[0:1] == (429,)
    assert mockserver.raw("/flaky/fk-a/2")[0] == 200
    assert mockserver.raw("/flaky/fk-b/1")[0] == 200


def test_reset_restarts_the_flaky_counter(mockserver: MockServer) -> None:
    mockserver.raw("/flaky/fk-reset/1")
    assert mockserver.raw("/flaky/fk-reset/1")[0] == 200
    mockserver.reset()
    assert mockserver.raw("/flaky/fk-reset/1")[0] == 503


def test_cosmetic_drift_changes_chrome_but_keeps_the_text(mockserver: MockServer) -> None:
    first, second = mockserver.raw("/drift-cosmetic/c1"), mockserver.raw("/drift-cosmetic/c1")
    assert first[2] != second[2] and first[1]["ETag"] != second[1]["ETag"]
    for body in (first[2], second[2]):
        assert demo_samples.DRIFT_SUPPORTED.encode() in body and demo_samples.DRIFT_REPLACED.encode() not in body


def test_big_page_has_exact_length_with_or_without_content_length(mockserver: MockServer) -> None:
    status, headers, body = mockserver.raw("/big/1")
    assert (status, int(headers["Content-Length"]), len(body)) == (200, 1024 * 1024, 1024 * 1024)
    _, headers, body = mockserver.raw("/big/0.5?chunked=1")
    assert headers["Transfer-Encoding"] == "chunked" and "Content-Length" not in headers
    assert len(body) == 512 * 1024


def test_gzip_bomb_is_small_on_the_wire_and_huge_inflated(mockserver: MockServer) -> None:
    status, headers, body = mockserver.raw("/gzip-bomb?megabytes=8")
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert len(body) < 64 * 1024
    assert len(gzip.decompress(body)) > 8 * 1024 * 1024


@pytest.mark.parametrize("codec", sorted(samples.CHARSETS))
def test_charset_page_decodes_with_its_declared_charset(mockserver: MockServer, codec: str) -> None:
    _, headers, body = mockserver.raw(f"/charset/{codec}")
    assert headers["Content-Type"] == f"text/html; charset={codec}"
    assert samples.CHARSET_SAMPLES[samples.CHARSETS[codec]] in body.decode(codec)


def test_charset_declarations_can_conflict_or_be_absent(mockserver: MockServer) -> None:
    _, headers, body = mockserver.raw("/charset/windows-1251?header=none&meta=iso-8859-1")
    assert headers["Content-Type"] == "text/html" and b'<meta charset="iso-8859-1">' in body
    _, _, body = mockserver.raw("/charset/utf-8?bom=1&meta=none")
    assert body.startswith(b"\xef\xbb\xbf") and b"<meta" not in body
    assert mockserver.raw("/charset/ebcdic")[0] == 404


def test_catchall_answers_200_not_found_for_any_path(mockserver: MockServer) -> None:
    first, second = mockserver.raw("/catchall/report-2024"), mockserver.raw("/catchall/a/b/c?x=1")
    assert (first[0], second[0]) == (200, 200)
    assert first[2] == second[2] and b"Page not found" in first[2]


def test_catchall_server_answers_unknown_root_paths_with_200(catchall_server: MockServer) -> None:
    status, _, body = catchall_server.raw("/q7z1x/random-probe")
    assert status == 200 and b"Page not found" in body
    assert b"EU AI Act" in catchall_server.raw("/blog/eu-ai-act-open-source.html")[2]


def test_bot_wall_is_403_with_its_own_server_header(mockserver: MockServer) -> None:
    status, headers, body = mockserver.raw("/bot-wall/article")
    assert (status, headers.get_all("Server")) == (403, ["demo-bot-shield"])
    assert b"verify you are human" in body


def test_image_is_a_png(mockserver: MockServer) -> None:
    status, headers, body = mockserver.raw("/image.png")
    assert (status, headers["Content-Type"]) == (200, "image/png")
    assert body.startswith(b"\x89PNG\r\n\x1a\n")


def test_wayback_capture_added_at_run_time_lasts_until_reset(mockserver: MockServer) -> None:
    url = mockserver.url("/status/410?id=7")
    mockserver.add_capture(url, "20260102030405", "archive/open-weights-explainer.html")
    closest = json.loads(mockserver.raw(f"/wayback/available?url={quote(url)}")[2])["archived_snapshots"]["closest"]
    assert closest["timestamp"] == "20260102030405"
    assert mockserver.raw(closest["url"].removeprefix(mockserver.base_url))[0] == 200
    mockserver.reset()
    assert json.loads(mockserver.raw(f"/wayback/available?url={quote(url)}")[2])["archived_snapshots"] == {}


def test_missing_parameter_is_400(mockserver: MockServer) -> None:
    assert mockserver.raw("/__wayback/add?url=x")[0] == 400


def test_request_log_records_headers_but_not_control_paths(mockserver: MockServer) -> None:
    mockserver.reset()
    mockserver.raw("/blog/eu-ai-act-open-source.html?utm=1", {"User-Agent": "citetrack-test"})
    logged = mockserver.requests()
    assert [(entry["path"], entry["query"], entry["headers"]["User-Agent"]) for entry in logged] == [
        ("/blog/eu-ai-act-open-source.html", {"utm": "1"}, "citetrack-test")
    ]
    assert mockserver.hits("/blog/eu-ai-act-open-source.html") == 1
