"""``citetrack ingest``, ``claims`` and ``sources`` through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.cli import main
from store.engine import session_factory
from store.models import Article, Citation, Claim, Reference, Source
from tests.test_ingest_seed import EXPECTED_REFERENCES

# A plain-text copy in the seed article's layout (viewpoint labels glued to outlets, "Read on X", no links),
# written for these tests so that they run from a clone alone.
ARTICLE_TXT = Path(__file__).parent / "fixtures" / "articles" / "living-shorelines.txt"
ARTICLE_OUTLETS = {
    1: "Coastal Restoration Quarterly",
    2: "Harbour Works Authority",
    3: "Estuarine Ecology Letters",
    4: "Maritime Risk Journal",
    5: "Tidewater Review Data Team",
}
ARTICLE_CITATIONS = [[1], [1, 3], [2], [2], [1], [4], [3], [1, 5]]

ARTICLE_HTML = """<!doctype html><html><head><title>Open weights, open doors</title>
<meta name="author" content="Dana Example"><meta property="article:published_time" content="2026-03-04T10:00:00+02:00">
</head><body><article><h1>Open weights, open doors</h1>
<p>The agency said that open models should not be restricted at this time.<sup><a href="#ref-1">1</a></sup>
Critics called the approach "a gamble with public safety."<sup><a href="#ref-2">2</a></sup></p>
<h2>Sources</h2><ol>
<li id="ref-1">Example Agency. <a href="https://agency.example/report">Report on open models</a></li>
<li id="ref-2">Example Times. <a href="https://times.example/news/critics">Critics weigh in</a></li>
</ol></article></body></html>"""


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object]:
    code = main([*argv, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if code == 0 else out


def count_rows(db_url: str) -> dict[str, int]:
    with session_factory(db_url).begin() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Article, Reference, Claim, Citation, Source)
        }


def test_ingest_seed_article_prints_seven_references_and_fifteen_claims(db_url, seed_article, capsys):
    code, summary = run_json(capsys, "ingest", str(seed_article), "--db", db_url)
    assert code == 0
    assert summary["references"] == 7
    assert summary["claims"] == 15
    assert summary["article_id"] == 1
    assert summary["title"].startswith("The Open-Source AI Exemption")


def test_claims_list_citation_numbers_and_quotes(db_url, capsys):
    main(["ingest", str(ARTICLE_TXT), "--db", db_url])
    capsys.readouterr()
    code, claims = run_json(capsys, "claims", "1", "--db", db_url)
    assert code == 0
    assert [claim["citations"] for claim in claims] == ARTICLE_CITATIONS
    assert [claim["index"] for claim in claims] == list(range(1, 9))
    assert set(claims[0]) >= {"id", "index", "text", "citations", "quotes", "start", "end"}
    assert "[" not in claims[7]["text"]
    assert claims[4]["quotes"] == ["pays for itself within fifteen years"]
    assert claims[4]["text"].startswith("According to Dr. Amara Osei")
    assert claims[2]["text"].endswith('"a promising but unproven option."')


def test_claim_offsets_point_into_the_article_text(db_url, capsys):
    main(["ingest", str(ARTICLE_TXT), "--db", db_url])
    capsys.readouterr()
    _, claims = run_json(capsys, "claims", "1", "--db", db_url)
    with session_factory(db_url).begin() as session:
        text = session.get(Article, 1).text
    for claim in claims:
        assert claim["text"][:30] in text[claim["start"] : claim["end"]]


def test_sources_list_gives_outlets_titles_and_unresolved_status(db_url, capsys):
    main(["ingest", str(ARTICLE_TXT), "--db", db_url])
    capsys.readouterr()
    code, rows = run_json(capsys, "sources", "list", "--article", "1", "--db", db_url)
    assert code == 0
    assert {row["number"]: row["outlet"] for row in rows} == ARTICLE_OUTLETS
    assert rows[1]["title"] == "Design Guide for Hybrid Coastal Barriers"
    assert rows[2]["title"] == "How long do restored oyster reefs take to protect a shore?"
    # The plain-text copy has no links: every reference is unresolved until an editor attaches one.
    assert {row["status"] for row in rows} == {"unresolved"}
    assert all(set(row) >= {"number", "outlet", "title", "url", "status"} for row in rows)


def test_reingesting_the_same_article_changes_nothing(db_url, capsys):
    _, first = run_json(capsys, "ingest", str(ARTICLE_TXT), "--db", db_url)
    before = count_rows(db_url)
    _, second = run_json(capsys, "ingest", str(ARTICLE_TXT), "--db", db_url)
    assert second["article_id"] == first["article_id"]
    assert second["created"] is False
    assert count_rows(db_url) == before


def test_changed_article_becomes_a_new_version_sharing_sources(db_url, tmp_path, capsys):
    path = tmp_path / "article.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    _, first = run_json(capsys, "ingest", str(path), "--db", db_url)
    path.write_text(ARTICLE_HTML.replace("at this time", "for now"), encoding="utf-8")
    _, second = run_json(capsys, "ingest", str(path), "--db", db_url)
    assert second["article_id"] != first["article_id"]
    assert second["version"] == first["version"] + 1
    counts = count_rows(db_url)
    assert counts["articles"] == 2
    assert counts["sources"] == 2


def test_html_article_links_references_to_canonical_sources(db_url, tmp_path, capsys):
    path = tmp_path / "article.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    code, summary = run_json(capsys, "ingest", str(path), "--db", db_url)
    assert code == 0
    assert (summary["claims"], summary["references"]) == (2, 2)
    _, sources = run_json(capsys, "sources", "list", "--db", db_url)
    assert [source["url"] for source in sources] == ["https://agency.example/report", "https://times.example/news/critics"]
    assert sources[0]["status"] == "pending"
    assert sources[0]["articles"][0]["number"] == 1


def test_set_url_attaches_a_link_to_an_unresolved_reference(db_url, capsys):
    main(["ingest", str(ARTICLE_TXT), "--db", db_url])
    code = main(["sources", "set-url", "1", "5", "https://data.tidewater.example/restoration-costs", "--db", db_url])
    assert code == 0
    capsys.readouterr()
    _, rows = run_json(capsys, "sources", "list", "--article", "1", "--db", db_url)
    assert rows[4]["url"] == "https://data.tidewater.example/restoration-costs"
    assert rows[4]["status"] == "pending"


def test_set_url_rejects_a_non_http_url_with_usage_exit_code(sqlite_url, capsys):
    main(["ingest", str(ARTICLE_TXT), "--db", sqlite_url])
    assert main(["sources", "set-url", "1", "5", "javascript:alert(1)", "--db", sqlite_url]) == 2
    assert "not an http(s) URL" in capsys.readouterr().err


def test_set_url_on_a_missing_reference_fails_with_one_line(sqlite_url, capsys):
    main(["ingest", str(ARTICLE_TXT), "--db", sqlite_url])
    capsys.readouterr()
    assert main(["sources", "set-url", "1", "99", "https://example.org/", "--db", sqlite_url]) == 1
    err = capsys.readouterr().err
    assert "no reference [99]" in err and "Traceback" not in err


def test_claims_of_an_unknown_article_fails_cleanly(sqlite_url, capsys):
    assert main(["claims", "42", "--db", sqlite_url]) == 1
    assert "no article with id 42" in capsys.readouterr().err


def test_dangling_citation_is_kept_and_reported(db_url, tmp_path, capsys):
    path = tmp_path / "dangling.txt"
    path.write_text(
        "Open models help small labs innovate locally.[1] The ministry disagreed with that view.[3]\n\n"
        "Sources\n1. Example Review. Open models and small labs. https://review.example/open\n",
        encoding="utf-8",
    )
    code, summary = run_json(capsys, "ingest", str(path), "--db", db_url)
    assert code == 0
    assert summary["dangling_citations"] == [3]
    with session_factory(db_url).begin() as session:
        dangling = session.scalars(select(Citation).where(Citation.number == 3)).one()
        assert dangling.reference_id is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\t\n", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "not text"),
        ("nocites.html", b"<html><body><p>No markers here at all.</p></body></html>", "citation"),
    ],
    ids=["empty", "whitespace", "binary", "no-citations"],
)
def test_bad_input_fails_with_one_line_and_leaves_the_store_unchanged(db_url, tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = count_rows(db_url)
    assert main(["ingest", str(path), "--db", db_url]) == 1
    err = capsys.readouterr().err
    assert message in err.lower()
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert count_rows(db_url) == before


def test_huge_file_is_refused_before_reading(sqlite_url, tmp_path, capsys):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert main(["ingest", str(path), "--db", sqlite_url]) == 1
    assert "limit" in capsys.readouterr().err


def test_non_utf8_text_file_is_decoded_with_a_warning(sqlite_url, tmp_path, capsys):
    path = tmp_path / "latin1.txt"
    path.write_bytes(
        "The café owners’ association welcomed the ruling.[1]\n\nSources\n1. Le Journal. Café ruling. "
        "https://journal.example/cafe\n".encode("cp1252")
    )
    code = main(["ingest", str(path), "--db", sqlite_url, "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0
    assert "warning" in captured.err
    _, claims = run_json(capsys, "claims", "1", "--db", sqlite_url)
    assert "café owners’ association" in claims[0]["text"]


def test_missing_file_is_a_usage_error(sqlite_url, tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nope.html"), "--db", sqlite_url]) == 2
    assert "no such file" in capsys.readouterr().err


def test_db_from_environment_variable_is_used(monkeypatch, tmp_path, capsys):
    db_path = tmp_path / "env.db"
    monkeypatch.setenv("CITETRACK_DB", f"sqlite:///{db_path}")
    assert main(["ingest", str(ARTICLE_TXT)]) == 0
    assert db_path.exists()


@pytest.mark.parametrize("argv", [["ingest", "--help"], ["claims", "--help"], ["sources", "list", "--help"], ["--help"]])
def test_help_exits_zero(argv, capsys):
    assert main(argv) == 0
    assert "usage:" in capsys.readouterr().out


def test_unknown_option_is_bad_usage(capsys):
    assert main(["claims", "--frobnicate"]) == 2


@pytest.mark.parametrize(
    "url",
    ["foo://bar", "not a url", "postgresql://nobody@127.0.0.1:1/x", "sqlite:////nonexistent/dir/x.db"],
    ids=["unknown-dialect", "garbage", "unreachable-server", "unwritable-path"],
)
def test_unusable_database_url_fails_with_one_line(url, capsys):
    assert main(["claims", "1", "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("citetrack claims: error: cannot use the database") and len(err.strip().splitlines()) == 1


FIXTURES = Path(__file__).parent / "fixtures" / "articles"


def test_ingest_json_lists_each_parsed_reference_with_archive_and_identifier_fields(db_url, capsys):
    code, summary = run_json(capsys, "ingest", str(FIXTURES / "wikipedia-desktop.html"), "--db", db_url)
    assert code == 0
    assert (summary["claims"], summary["references"]) == (10, 10)
    guardian, journal = summary["parsed_references"][:2]
    assert guardian["outlet"] == "The Guardian"
    assert guardian["archive_url"].startswith("https://web.archive.org/web/20210315083012/")
    assert guardian["archive_captured_at"] == "2021-03-15T08:30:12+00:00"
    assert guardian["accessed_at"] == "2021-04-02T00:00:00+00:00"
    assert (journal["url"], journal["doi"], journal["pmid"]) == (
        "https://doi.org/10.1126/sciadv.abc6434",
        "10.1126/sciadv.abc6434",
        "33028530",
    )
    assert set(guardian) >= {"number", "label", "group", "outlet", "title", "url", "isbn", "arxiv", "pmcid"}
    _, sources = run_json(capsys, "sources", "list", "--article", str(summary["article_id"]), "--db", db_url)
    assert sources[0]["url"] == guardian["url"]


def test_the_parsed_archive_and_identifier_fields_are_stored_and_listed_by_sources_list(db_url, capsys):
    _, summary = run_json(capsys, "ingest", str(FIXTURES / "wikipedia-desktop.html"), "--db", db_url)
    article = str(summary["article_id"])
    _, rows = run_json(capsys, "sources", "list", "--article", article, "--db", db_url)
    fields = ("label", "group", "archive_url", "archive_captured_at", "accessed_at", "published_at", "doi", "pmid",
              "pmcid", "arxiv", "isbn")  # fmt: skip
    assert [{name: row[name] for name in fields} for row in rows] == [
        {name: parsed[name] for name in fields} for parsed in summary["parsed_references"]
    ]
    _, every = run_json(capsys, "sources", "list", "--db", db_url)
    guardian = next(source for source in every if source["url"].startswith("https://www.theguardian.com/"))
    assert guardian["articles"][0]["archive_captured_at"] == "2021-03-15T08:30:12+00:00"
    assert main(["sources", "list", "--article", article, "--db", db_url]) == 0
    table = capsys.readouterr().out
    assert "https://web.archive.org/web/20210315083012/" in table and "(2021-03-15)" in table
    assert "doi:10.1126/sciadv.abc6434 pmid:33028530 pmcid:PMC7541171" in table
    assert main(["sources", "list", "--db", db_url]) == 0
    assert "https://web.archive.org/web/20150906123456/http://www.seagrassrecovery.org/" in capsys.readouterr().out


def test_seed_json_keeps_its_fields_and_adds_parsed_references(sqlite_url, seed_article, capsys):
    _, summary = run_json(capsys, "ingest", str(seed_article), "--db", sqlite_url)
    assert {key: summary[key] for key in ("claims", "references", "unresolved")} == {
        "claims": 15,
        "references": 7,
        "unresolved": [1, 2, 3, 4, 5, 6, 7],
    }
    assert [ref["outlet"] for ref in summary["parsed_references"]] == [outlet for _, outlet, _ in EXPECTED_REFERENCES]
    assert all(ref["archive_url"] is None and ref["doi"] is None for ref in summary["parsed_references"])


def test_ingest_inline_links_option_makes_outbound_links_the_sources(sqlite_url, tmp_path, capsys):
    path = tmp_path / "article.html"
    path.write_text(
        ARTICLE_HTML.replace(
            "should not be restricted at this time.",
            'should not be restricted, <a href="https://www.ntia.example.gov/report">the agency said</a>.',
        ),
        encoding="utf-8",
    )
    code, summary = run_json(capsys, "ingest", str(path), "--inline-links", "--db", sqlite_url)
    assert code == 0
    assert (summary["claims"], summary["references"]) == (1, 1)
    assert summary["parsed_references"][0]["url"] == "https://www.ntia.example.gov/report"
    assert summary["warnings"] == []


def test_ingest_news_without_numbers_falls_back_to_inline_links_with_a_warning(sqlite_url, capsys):
    code = main(["ingest", str(FIXTURES / "inline-news.html"), "--db", sqlite_url, "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0
    summary = json.loads(captured.out)
    assert (summary["claims"], summary["references"]) == (7, 6)
    assert "each outbound link in the article body is a source" in captured.err


def test_inline_links_on_plain_text_without_markers_fails_with_one_line(sqlite_url, tmp_path, capsys):
    path = tmp_path / "plain.txt"
    path.write_text("Nothing cited here, and https://example.org is only mentioned.\n", encoding="utf-8")
    assert main(["ingest", str(path), "--inline-links", "--db", sqlite_url]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
