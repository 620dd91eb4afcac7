"""The read-only JSON API over real HTTP: every endpoint, pagination, and 4xx JSON errors for bad input."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from crawler.cli import build_parser, main
from crawler.jobs.drift import detect_drift
from store.engine import session_factory
from tests.driftdata import COSMETIC, PASSAGE
from tests.reportdata import ReportData, add_contradiction, populate
from tests.test_jobs_drift import T0, add_snapshot, seed
from tests.webserver import running_app

BROKEN_KEYS = {"url", "status", "confirmed", "first_seen", "last_seen", "checks", "evidence", "archive_url", "articles"}


@pytest.fixture
def api(db_url: str) -> Iterator[tuple[httpx.Client, ReportData, str]]:
    """An HTTP client for the app serving the report test data, with the data's ids and the database URL."""
    data = populate(db_url)
    with running_app(db_url) as base_url, httpx.Client(base_url=base_url, timeout=10) as client:
        yield client, data, db_url


def get_json(client: httpx.Client, path: str, **params) -> dict:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def test_articles_are_listed_newest_first_and_paginated(api) -> None:
    client, data, _ = api
    first = get_json(client, "/api/articles", per_page=1)
    assert (first["total"], first["pages"], first["page"]) == (2, 2, 1)
    assert [a["id"] for a in first["items"]] == [data.other_article_id]
    second = get_json(client, "/api/articles", per_page=1, page=2)
    assert [a["id"] for a in second["items"]] == [data.article_id] and second["items"][0]["claims"] == 4
    assert get_json(client, "/api/articles", page=3, per_page=1)["items"] == []


def test_report_endpoint_returns_the_same_json_as_the_cli(api, capsys) -> None:
    client, data, db_url = api
    assert main(["report", str(data.article_id), "--format", "json", "--only", "unsupported", "--db", db_url]) == 0
    from_cli = json.loads(capsys.readouterr().out)
    assert get_json(client, f"/api/articles/{data.article_id}/report", only="unsupported") == from_cli


CLAIM_FILTERS = [
    ({"verdict": "supported"}, [1, 2]),
    ({"verdict": "partial"}, [3]),
    ({"verdict": "unavailable"}, [4]),
    ({"verdict": "not_found"}, []),
    ({"q": "ntia"}, [1]),
    ({"q": "LOST PAPER"}, [3]),
    ({"q": "100%"}, []),
    ({"q": "_"}, []),
    ({"q": "said", "verdict": "supported"}, [1, 2]),
]


def test_claims_filter_by_verdict_and_search_text(api) -> None:
    client, data, _ = api
    for params, indexes in CLAIM_FILTERS:
        found = get_json(client, "/api/claims", article_id=data.article_id, **params)
        assert [claim["index"] for claim in found["items"]] == indexes, params
        assert found["total"] == len(indexes)


def test_claims_filter_by_the_contradicted_verdict_and_list_the_conflicts(api) -> None:
    client, data, db_url = api
    assert get_json(client, "/api/claims", verdict="contradicted")["items"] == []
    add_contradiction(db_url, data)
    [claim] = get_json(client, "/api/claims", verdict="contradicted", article_id=data.article_id)["items"]
    assert (claim["index"], claim["verdict"]) == (5, "contradicted")
    [check] = claim["checks"]
    assert check["verdict"] == "contradicted" and check["conflicts"][0]["source"]["text"] == "against restricting"
    report = get_json(client, f"/api/articles/{data.article_id}/report", only="contradicted")
    assert [c["index"] for c in report["claims"]] == [5] and report["summary"]["verdicts"]["contradicted"] == 1
    assert report["claims"][0]["checks"][0]["conflicts"] == check["conflicts"]


def test_report_page_shows_the_conflict_spans_and_filters_contradicted_claims(api) -> None:
    client, data, db_url = api
    add_contradiction(db_url, data)
    page = client.get(f"/articles/{data.article_id}", params={"only": "contradicted"})
    assert page.status_code == 200 and page.headers["content-security-policy"].startswith("default-src 'none'")
    assert page.text.count('<mark class="conflict">against restricting</mark>') == 2
    assert f'href="/articles/{data.article_id}?only=contradicted"' in page.text
    assert 'id="claim-' in page.text and page.text.count('class="claim"') == 1
    search = client.get("/claims", params={"verdict": "contradicted"})
    assert search.status_code == 200 and "1 claims." in search.text
    assert '<option value="contradicted" selected>contradicted</option>' in search.text


def test_claims_are_paginated(api) -> None:
    client, _, _ = api
    pages = [get_json(client, "/api/claims", per_page=3, page=n) for n in (1, 2)]
    assert [len(p["items"]) for p in pages] == [3, 1] and pages[0]["total"] == 4


def test_broken_sources_have_the_broken_command_rows(api, capsys) -> None:
    client, data, db_url = api
    broken = get_json(client, "/api/broken")
    assert main(["broken", "--format", "json", "--db", db_url]) == 0
    assert broken["items"] == json.loads(capsys.readouterr().out)
    assert broken["total"] == 1
    row = broken["items"][0]
    assert set(row) >= BROKEN_KEYS
    assert (row["url"], row["status"], row["confirmed"]) == ("https://gone.example/paper", "dead", True)
    assert row["articles"][0]["article_id"] == data.article_id
    assert get_json(client, "/api/broken", status="soft_404")["items"] == []
    assert get_json(client, "/api/broken", confirmed="false")["items"] == []
    assert get_json(client, "/api/broken", article_id=data.other_article_id)["items"] == []


def test_sources_and_snapshot_history(api) -> None:
    client, data, _ = api
    dead = get_json(client, "/api/sources", status="dead")
    assert [s["id"] for s in dead["items"]] == [data.dead_source_id]
    history = get_json(client, f"/api/sources/{data.ntia_source_id}/snapshots")
    assert history["source"]["url"] == "https://ntia.example/report"
    assert history["total"] == 2 and history["items"][0]["http_status"] == 200
    assert history["items"][0]["text_length"] > 50 and "text" not in history["items"][0]


def test_openapi_document_lists_every_endpoint(api) -> None:
    client, _, _ = api
    paths = set(get_json(client, "/openapi.json")["paths"])
    assert {
        "/api/articles",
        "/api/articles/{article_id}/report",
        "/api/claims",
        "/api/broken",
        "/api/sources",
        "/api/sources/{source_id}/snapshots",
    } <= paths


def test_openapi_document_offers_the_contradicted_verdict_and_filter(api) -> None:
    client, _, _ = api
    document = get_json(client, "/openapi.json")
    schemas = json.dumps(document)
    verdicts = next(v for v in document["components"]["schemas"].values() if "not_found" in v.get("enum", []))
    assert verdicts["enum"] == ["supported", "partial", "not_found", "contradicted", "unavailable"]
    report = document["paths"]["/api/articles/{article_id}/report"]["get"]["parameters"]
    only = next(p for p in report if p["name"] == "only")
    assert "contradicted" in json.dumps(only["schema"]) and "contradicted" in schemas


BAD_REQUESTS = [
    ("/api/articles/999/report", 404),
    ("/api/sources/999/snapshots", 404),
    ("/api/claims?article_id=999", 404),
    ("/api/broken?article_id=999", 404),
    ("/api/articles/0/report", 422),
    ("/api/articles/-1/report", 422),
    ("/api/articles/abc/report", 422),
    ("/api/articles/99999999999999999999/report", 422),
    ("/api/articles/1/report?only=everything", 422),
    ("/api/articles?per_page=101", 422),
    ("/api/articles?per_page=100000000", 422),
    ("/api/articles?page=0", 422),
    ("/api/articles?page=1e9", 422),
    ("/api/claims?verdict=true", 422),
    ("/api/claims?q=", 422),
    ("/api/claims?q=%00", 422),
    ("/api/claims?q=" + "x" * 201, 422),
    ("/api/broken?confirmed=maybe", 422),
    ("/api/broken?status=%3Cscript%3E", 422),
    ("/api/nothing-here", 404),
    ("/api/sources/999", 404),
    ("/api/sources/0", 422),
    ("/api/articles?sort=oldest", 422),
    ("/api/articles?outlet=", 422),
    ("/api/articles?outlet=%00", 422),
    ("/api/articles?published_from=2026-02-31", 422),
    ("/api/articles?published_until=tomorrow", 422),
    ("/api/articles?published_until=0", 422),
    ("/api/articles?published_from=20260502", 422),
]


def test_bad_ids_filters_and_page_sizes_get_4xx_json_errors(api) -> None:
    client, _, _ = api
    for path, status in BAD_REQUESTS:
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"] == "application/json"
        assert response.json()["detail"]


def test_api_refuses_writes(api) -> None:
    client, data, _ = api
    assert client.post("/api/articles").status_code == 405
    assert client.delete(f"/api/articles/{data.article_id}/report").status_code == 405


def test_unknown_article_page_is_a_404_page(api) -> None:
    client, _, _ = api
    response = client.get("/articles/999")
    assert response.status_code == 404 and "no article with id 999" in response.text


def test_serve_binds_to_loopback_by_default() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


def test_serve_command_serves_pages_and_api_until_stopped(sqlite_url: str) -> None:
    data = populate(sqlite_url)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-c", "import sys; from crawler.cli import main; sys.exit(main(sys.argv[1:]))"]
    server = subprocess.Popen([*command, "serve", "--port", str(port), "--db", sqlite_url], stderr=subprocess.PIPE)
    try:
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"{base_url}/api/articles", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "citetrack serve did not start"
                time.sleep(0.2)
        assert response.json()["total"] == 2
        assert httpx.get(f"{base_url}/articles/{data.article_id}", timeout=5).status_code == 200
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in stderr.decode()


def test_claim_search_page_accepts_an_empty_form_and_rejects_a_bad_verdict(api) -> None:
    client, _, _ = api
    response = client.get("/claims", params={"q": "", "verdict": ""})
    assert response.status_code == 200 and "4 claims." in response.text
    bad = client.get("/claims", params={"verdict": "bogus"})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/json"


def test_serve_on_a_busy_port_fails_with_exit_code_1_and_a_bad_port_is_a_usage_error(sqlite_url: str) -> None:
    command = [sys.executable, "-c", "import sys; from crawler.cli import main; sys.exit(main(sys.argv[1:]))"]
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        argv = [*command, "serve", "--port", port, "--db", sqlite_url]
        taken = subprocess.run(argv, check=False, capture_output=True, timeout=60)
    assert taken.returncode == 1 and b"address already in use" in taken.stderr
    assert main(["serve", "--port", "70000", "--db", sqlite_url]) == 2


def test_broken_page_shows_a_drifted_claims_verdict_change_conflict_and_both_passages(sqlite_url: str) -> None:
    contradicting = PASSAGE.replace("rose", "fell")
    with session_factory(sqlite_url).begin() as session:
        source = seed(session)
        new_text = COSMETIC.replace(PASSAGE, contradicting)
        detect_drift(session, add_snapshot(session, source, new_text, T0 + timedelta(days=9)))
    with running_app(sqlite_url) as base_url:
        page = httpx.get(f"{base_url}/broken", timeout=10)
    assert page.status_code == 200
    change = '<span class="verdict v-supported">supported</span> → <span class="verdict v-contradicted">contradicted</span>'
    assert change in page.text and "direction: “rose” against “fell”" in page.text
    assert f"<blockquote>was: {PASSAGE}</blockquote>" in page.text
    assert f"<blockquote>now: {contradicting}</blockquote>" in page.text


def test_articles_carry_their_checks_by_verdict_and_problem_sources_and_sort_by_problems(api) -> None:
    client, data, _ = api
    ranked = get_json(client, "/api/articles", sort="problems")
    assert [a["id"] for a in ranked["items"]] == [data.article_id, data.other_article_id]
    hostile = ranked["items"][0]
    report = get_json(client, f"/api/articles/{data.article_id}/report")
    assert hostile["verdicts"] == report["summary"]["verdicts"] and hostile["checks"] == report["summary"]["checks"]
    assert hostile["problem_sources"] == {"confirmed": 1, "unconfirmed": 0} and hostile["needs_attention"] == 4
    assert {"id", "url", "title", "published", "ingested_at", "version", "claims"} <= set(hostile)
    assert [a["id"] for a in get_json(client, "/api/articles")["items"]] == [data.other_article_id, data.article_id]


def test_articles_filter_by_outlet_and_publication_days(api) -> None:
    client, data, _ = api
    assert get_json(client, "/api/articles", outlet="nobody")["total"] == 0
    day = "2026-05-02"  # the hostile article's publication day; the other has no date
    for params, ids in (({"published_from": day}, [data.article_id]), ({"published_until": day}, [data.article_id]),
                        ({"published_from": "2026-05-03"}, []), ({"published_until": "2026-05-01"}, [])):  # fmt: skip
        assert [a["id"] for a in get_json(client, "/api/articles", **params)["items"]] == ids, params


def test_source_endpoint_has_checks_snapshots_claims_and_the_archived_copy(api) -> None:
    client, data, _ = api
    dead = get_json(client, f"/api/sources/{data.dead_source_id}")
    assert dead["source"]["url"] == "https://gone.example/paper" and dead["source"]["status"] == "dead"
    assert [c["status"] for c in dead["checks"]["items"]] == ["dead", "dead"]
    assert [(p["status"], p["confirmed"]) for p in dead["problems"]] == [("dead", True)]
    assert dead["archives"][0]["url"] == "https://web.archive.example/web/2026/https://gone.example/paper"
    assert [(c["index"], c["verdict"]) for c in dead["claims"]["items"]] == [(3, "unavailable")]
    ntia = get_json(client, f"/api/sources/{data.ntia_source_id}")
    assert ntia["snapshots"]["total"] == 2 and "text" not in ntia["snapshots"]["items"][0]
    assert client.get("/api/sources/999").status_code == 404


def test_stats_endpoint_returns_the_same_json_as_the_cli(api, capsys) -> None:
    client, _, db_url = api
    assert main(["stats", "--format", "json", "--db", db_url]) == 0
    assert get_json(client, "/api/stats") == json.loads(capsys.readouterr().out)


def test_openapi_document_describes_the_overview_fields_and_endpoints(api) -> None:
    client, _, _ = api
    document = get_json(client, "/openapi.json")
    assert {"/api/sources/{source_id}", "/api/stats"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert {"verdicts", "checks", "needs_attention", "problem_sources", "outlet"} <= set(
        schemas["ArticleRow"]["properties"]
    )
    assert {"source", "checks", "snapshots", "claims", "archives", "problems"} <= set(
        schemas["SourceOverview"]["properties"]
    )
    parameters = {p["name"] for p in document["paths"]["/api/articles"]["get"]["parameters"]}
    assert {"page", "per_page", "sort", "outlet", "published_from", "published_until"} <= parameters


def test_pages_link_every_source_to_its_page(api) -> None:
    client, data, _ = api
    article = client.get(f"/articles/{data.article_id}").text
    assert f'href="/sources/{data.dead_source_id}"' in article and f'href="/sources/{data.ntia_source_id}"' in article
    assert f'href="/sources/{data.dead_source_id}"' in client.get("/broken").text
    source = client.get(f"/sources/{data.dead_source_id}")
    assert source.status_code == 200 and source.headers["content-security-policy"].startswith("default-src 'none'")
    assert "https://web.archive.example/web/2026/https://gone.example/paper" in source.text
    assert client.get("/sources/999").status_code == 404


def test_article_list_page_sorts_by_problems_and_says_when_a_day_does_not_exist(api) -> None:
    client, data, _ = api
    page = client.get("/", params={"sort": "problems", "outlet": "", "published_from": "", "published_until": ""})
    assert page.status_code == 200 and page.text.index(f'href="/articles/{data.article_id}"') < page.text.index(
        f'href="/articles/{data.other_article_id}"'
    )
    assert '<option value="problems" selected>' in page.text
    impossible = client.get("/", params={"published_from": "2026-02-31"})
    assert impossible.status_code == 200 and "“2026-02-31” is not a day: that filter is left out." in impossible.text
    assert client.get("/", params={"published_from": "yesterday"}).status_code == 422
