"""``citetrack discover`` and ``scrapy crawl articles`` against a local publisher site: feeds, sitemaps, listings."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from crawler.cli import main
from crawler.jobs.due import Selection, count_due_sources
from store.base import utcnow
from store.engine import session_factory
from store.models import Article, Claim, Feed, Reference
from tests.crawling import FAST
from tests.mockserver import REPO
from tests.mockserver.feedsite import FeedSite

ARTICLES = [
    "/blog/tide-gauges.html",
    "/news/ferry-timetable.html",
    "/news/harbour-dredging.html",
    "/opinion/fishing-quotas.html",
    "/opinion/night-lighting.html",
    "/reports/seagrass-survey.html",
]
FEEDS = ["/feeds/news.rss", "/feeds/blog.atom", "/sitemap-index.xml", "/listing/"]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[FeedSite]:
    """The feed site, served from a copy of its own that the test may edit."""
    with FeedSite(tmp_path / "site") as served:
        yield served


def add_feeds(db_url: str, site: FeedSite, paths: list[str], *options: str) -> None:
    for path in paths:
        assert main(["feeds", "add", site.url(path), "--db", db_url, *options]) == 0


def discover(db_url: str, site: FeedSite, *args: str) -> tuple[int, dict[str, Any]]:
    """Run ``citetrack discover --format json`` in-process, allowed to reach the site; return code and JSON."""
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["discover", "--db", db_url, "--format", "json", *FAST,
                     "--allow-host", f"127.0.0.1:{site.server.port}", *args])  # fmt: skip
    return code, json.loads(out.getvalue())


def feeds_by_path(db_url: str, site: FeedSite) -> dict[str, Feed]:
    with session_factory(db_url).begin() as session:
        feeds = session.scalars(select(Feed)).all()
        session.expunge_all()
    return {feed.url.removeprefix(site.server.base_url): feed for feed in feeds}


def article_hits(site: FeedSite) -> dict[str, int]:
    return {path: site.server.hits(path) for path in ARTICLES if site.server.hits(path)}


def test_discover_ingests_the_articles_of_rss_atom_a_gzipped_sitemap_index_and_a_listing_page(
    db_url: str, site: FeedSite
) -> None:
    add_feeds(db_url, site, FEEDS)
    code, summary = discover(db_url, site)
    assert code == 0
    assert (summary["new"], summary["changed"], summary["unchanged"], summary["failed"]) == (6, 0, 0, 0)
    assert sorted(row["url"].removeprefix(site.server.base_url) for row in summary["articles"]) == ARTICLES
    assert {row["url"].removeprefix(site.server.base_url): (row["kind"], row["status"], row["entries"])
            for row in summary["feeds"]} == {
        "/feeds/news.rss": ("rss", "read", 2), "/feeds/blog.atom": ("atom", "read", 1),
        "/sitemap-index.xml": ("sitemap", "read", 1), "/listing/": ("listing", "read", 2),
    }  # fmt: skip
    with session_factory(db_url).begin() as session:
        articles = session.scalars(select(Article).order_by(Article.origin)).all()
        assert [(a.origin.removeprefix(site.server.base_url), a.version) for a in articles] == [(p, 1) for p in ARTICLES]
        assert all(len(article.references) == 2 and len(article.claims) == 2 for article in articles)
        cited = session.scalars(select(Reference.url).where(Reference.article_id == articles[0].id)).all()
        assert cited == ["https://records.example.org/tide-gauges/1", "https://records.example.org/tide-gauges/2"]
    # Their sources are due at once (the due policy), so the next `citetrack crawl --due` fetches them.
    assert count_due_sources(db_url, Selection(due_at=utcnow())) == 12
    feeds = feeds_by_path(db_url, site)
    assert all(feed.etag and feed.last_modified and feed.last_error is None for feed in feeds.values())


def test_a_second_run_with_nothing_changed_fetches_and_ingests_nothing_and_a_changed_article_is_version_2(
    sqlite_url: str, site: FeedSite
) -> None:
    add_feeds(sqlite_url, site, FEEDS)
    assert discover(sqlite_url, site)[0] == 0
    site.server.reset()

    code, summary = discover(sqlite_url, site)
    assert code == 0
    assert [row["status"] for row in summary["feeds"]] == ["not_modified"] * 4
    assert summary["articles"] == [] and article_hits(site) == {}
    conditional = [r for r in site.server.requests() if r["path"] in FEEDS]
    assert len(conditional) == 4 and all("If-None-Match" in r["headers"] for r in conditional)

    # The RSS feed dates an article later than its ingestion; the listing page changes, its articles do not.
    site.edit("/news/harbour-dredging.html", "on 94% of monitored days", "on 81% of monitored days")
    site.edit("/feeds/news.rss", "Fri, 02 Jan 2026 09:00:00 GMT", "Fri, 02 Jan 2099 09:00:00 GMT")
    site.edit("/listing/index.html", "<h1>Opinion</h1>", "<h1>Opinion and comment</h1>")
    site.server.reset()
    code, summary = discover(sqlite_url, site)
    assert code == 0
    assert [(row["url"].removeprefix(site.server.base_url), row["outcome"], row["version"])
            for row in summary["articles"]] == [
        ("/news/harbour-dredging.html", "changed", 2),
        ("/opinion/fishing-quotas.html", "unchanged", 1),  # undated: fetched again, ingest stores nothing
        ("/opinion/night-lighting.html", "unchanged", 1),
    ]  # fmt: skip
    # The other article of the RSS feed is dated before its ingestion: not fetched again.
    assert article_hits(site) == {
        "/news/harbour-dredging.html": 1, "/opinion/fishing-quotas.html": 1, "/opinion/night-lighting.html": 1,
    }  # fmt: skip
    with session_factory(sqlite_url).begin() as session:
        latest = session.scalars(select(Article).where(Article.version == 2)).one()
        assert "81%" in latest.text and len(latest.references) == 2
        assert session.scalar(select(func.count()).select_from(Article)) == 7
        assert session.scalar(select(func.count()).select_from(Claim).where(Claim.article_id == latest.id)) == 2


def test_broken_feeds_are_recorded_with_a_clear_error_while_the_others_are_processed(
    sqlite_url: str, site: FeedSite
) -> None:
    db_url = sqlite_url
    paths = ["/feeds/news.rss", "/robots.txt", "/bad/malformed.rss", "/bad/missing.xml", "/loop/a", "/big/2"]
    add_feeds(db_url, site, paths)
    add_feeds(db_url, site, ["/bad/not-a-feed.html"], "--kind", "rss")
    code, summary = discover(db_url, site, "-s", "DOWNLOAD_MAXSIZE=1000000", "-s", "DOWNLOAD_WARNSIZE=0")
    assert code == 1
    assert summary["feeds_failed"] == 5 and summary["feeds_read"] == 2
    # The good feeds' articles, the one recovered from the malformed feed among them, and the sitemaps that
    # robots.txt names (its Sitemap: line, then the gzipped sitemap of that index).
    assert sorted(row["url"].removeprefix(site.server.base_url) for row in summary["articles"]) == [
        "/news/ferry-timetable.html", "/news/harbour-dredging.html", "/reports/seagrass-survey.html",
    ]  # fmt: skip
    assert summary["new"] == 3
    robots = next(row for row in summary["feeds"] if row["url"].endswith("/robots.txt"))
    assert (robots["kind"], robots["entries"]) == ("sitemap", 1)
    errors = {path: feed.last_error for path, feed in feeds_by_path(db_url, site).items()}
    assert errors["/feeds/news.rss"] is None
    assert errors["/bad/malformed.rss"].startswith("malformed XML: ")
    assert errors["/bad/missing.xml"] == "HTTP 404"
    assert errors["/loop/a"].startswith("redirect_loop: ")
    assert errors["/big/2"].startswith("too_large: ")
    assert errors["/bad/not-a-feed.html"] == "expected an RSS/Atom feed (rss), got an HTML page"
    # A failed read keeps no validators: the next run reads the feed in full.
    assert all(feed.etag is None for path, feed in feeds_by_path(db_url, site).items() if errors[path])


def test_a_feed_whose_article_failed_is_read_in_full_next_time(sqlite_url: str, site: FeedSite) -> None:
    site.edit("/feeds/blog.atom", "/blog/tide-gauges.html", "/blog/not-yet-published.html")
    add_feeds(sqlite_url, site, ["/feeds/blog.atom"])
    code, summary = discover(sqlite_url, site)
    assert code == 0  # an article that fails is reported; only failed feeds make the run fail
    assert [(row["outcome"], row["error"]) for row in summary["articles"]] == [("failed", "HTTP 404")]
    assert feeds_by_path(sqlite_url, site)["/feeds/blog.atom"].etag is None
    site.edit("/feeds/blog.atom", "/blog/not-yet-published.html", "/blog/tide-gauges.html")
    code, summary = discover(sqlite_url, site)
    assert [row["outcome"] for row in summary["articles"]] == ["new"]
    assert feeds_by_path(sqlite_url, site)["/feeds/blog.atom"].etag is not None


def test_a_feed_on_a_private_address_is_refused_without_allow_host(
    sqlite_url: str, site: FeedSite, capsys: pytest.CaptureFixture[str]
) -> None:
    add_feeds(sqlite_url, site, ["/feeds/news.rss"])
    site.server.reset()
    assert main(["discover", "--db", sqlite_url, *FAST]) == 1
    assert "forbidden_address" in capsys.readouterr().out
    error = feeds_by_path(sqlite_url, site)["/feeds/news.rss"].last_error
    assert error is not None and error.startswith("forbidden_address: 127.0.0.1 resolves to 127.0.0.1")
    assert "--allow-host" in error
    assert site.server.requests() == []
    with session_factory(sqlite_url).begin() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 0


def test_scrapy_crawl_articles_alone_does_the_whole_job(sqlite_url: str, site: FeedSite) -> None:
    add_feeds(sqlite_url, site, ["/feeds/news.rss", "/bad/missing.xml"])
    environment = {**os.environ, "CITETRACK_DB": sqlite_url, "PYTHONPATH": str(REPO)}
    settings = [f"CITETRACK_ALLOW_HOSTS=127.0.0.1:{site.server.port}", "LOG_LEVEL=ERROR"]
    command = [sys.executable, "-m", "scrapy", "crawl", "articles", *FAST, *(a for s in settings for a in ("-s", s))]
    subprocess.run(command, cwd=REPO, env=environment, check=True, capture_output=True, timeout=110)
    with session_factory(sqlite_url).begin() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 2
    feeds = feeds_by_path(sqlite_url, site)
    assert feeds["/feeds/news.rss"].etag is not None and feeds["/bad/missing.xml"].last_error == "HTTP 404"


def test_discover_without_feeds_says_how_to_add_one(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["discover", "--db", sqlite_url]) == 0
    assert "citetrack feeds add URL" in capsys.readouterr().out
