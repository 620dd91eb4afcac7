"""Soft-404 rules: not-found URLs, redirects to a site's root, not-found wording, likeness to the host probe."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from crawler.extract import extract_document
from crawler.health import soft404
from tests.mockserver import samples

SITE = Path(__file__).parent / "fixtures" / "site"


def fixture_texts() -> dict[str, str]:
    """The extracted text of every article-like page of the fixture site, by path."""
    texts = {}
    for path in sorted(SITE.rglob("*.html")):
        if "encodings" in path.parts:
            continue
        document = extract_document(path.read_bytes(), "text/html; charset=utf-8")
        if document.text:
            texts["/" + path.relative_to(SITE).as_posix()] = document.text
    return texts


@pytest.mark.parametrize(
    ("final_url", "matched"),
    [
        ("https://example.org/404", "404"),
        ("https://example.org/errors/page", "errors"),
        ("https://example.org/notfound.aspx", "notfound.aspx"),
        ("https://example.org/page-not-found/", "page-not-found"),
        ("https://example.org/search?error=404", "error=404"),
    ],
)
def test_not_found_url_patterns(final_url, matched):
    assert soft404.not_found_url(final_url) == matched


@pytest.mark.parametrize(
    "final_url",
    ["https://example.org/science/error-correction", "https://example.org/2024/404-ways-to-cook", "https://example.org/"],
)
def test_ordinary_urls_do_not_match_not_found_patterns(final_url):
    assert soft404.not_found_url(final_url) is None


@pytest.mark.parametrize(
    ("url", "final_url", "expected"),
    [
        ("https://example.org/news/2024/story", "https://example.org/", "home"),
        ("https://example.org/news/2024/story", "https://www.example.org/index.html", "home"),
        ("https://example.org/news/2024/story", "https://example.org/news/", "section root"),
        ("https://example.org/news/2024/story", "https://example.org/news/2024/story-renamed", None),
        ("https://example.org/news/2024/story", "https://example.org/news/2024/story/", None),
        ("https://example.org/", "https://example.org/home", None),
    ],
)
def test_root_redirect(url, final_url, expected):
    assert soft404.root_redirect(url, final_url) == expected


def test_not_found_wording_needs_little_text():
    html = "<html><head><title>Page not found</title></head><body></body></html>"
    assert soft404.not_found_heading(None, html, words=30) == "Page not found"
    assert soft404.not_found_heading(None, html, words=soft404.NOT_FOUND_MAX_WORDS + 1) is None
    assert soft404.not_found_heading("Found: the lost manuscripts", "<h1>Found</h1>", words=30) is None


def test_distinct_fixture_pages_stay_far_below_the_probe_threshold():
    texts = fixture_texts()
    scores = [
        soft404.probe_similarity(texts[a], texts[b], page_url=f"http://h{a}", probe_url=f"http://h{b}")
        for a, b in combinations(texts, 2)
    ]
    assert len(scores) >= 45
    assert max(scores) < soft404.PROBE_SIMILARITY - 30


def test_one_catch_all_page_for_two_paths_is_recognised():
    def answer(path: str) -> str:
        html = samples.soft_404_page().replace("you were looking for", f"you were looking for ({path})")
        return extract_document(html.encode(), "text/html").text

    probe_url, page_url = "http://h/citetrack-probe-0f3c9a1e77", "http://h/news/2024/ports-report"
    score = soft404.probe_similarity(answer("/news/2024/ports-report"), answer("/citetrack-probe-0f3c9a1e77"),
                                     page_url=page_url, probe_url=probe_url)  # fmt: skip
    assert score == 100.0


def test_shared_redirects_counts_distinct_cited_urls_per_landing():
    tracker = soft404.SharedRedirects(minimum=3)
    landing = "https://example.org/archive/"
    assert [tracker.add(f"https://example.org/story/{n}", landing) for n in range(3)] == [1, 2, 3]
    assert tracker.add("https://example.org/story/0", landing) == 3, "the same URL twice counts once"
    assert tracker.add("https://example.org/kept", "https://example.org/kept/") == 0, "not a redirect"
    tracker.add("https://example.org/moved", "https://example.org/new-home")
    assert tracker.shared_landings() == {landing: {f"https://example.org/story/{n}" for n in range(3)}}
