"""Our metadata step finds the same title, author, URL and date as trafilatura's full ``extract_metadata``."""

from __future__ import annotations

from pathlib import Path

import pytest
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from crawler.charset import decode_html
from crawler.extract.html import DATE_PARAMS
from crawler.extract.metadata import page_metadata
from tests.mockserver import SITE

PAGES = sorted(path for path in SITE.rglob("*") if path.suffix in (".html", ".htm") and path.stat().st_size > 0)
FIELDS = ("title", "author", "url", "date")


def test_the_fixture_site_has_pages_with_each_field() -> None:
    found = [page_metadata(load_html(decode_html(path.read_bytes(), None)), None, DATE_PARAMS) for path in PAGES]
    assert all(any(getattr(metadata, field) for metadata in found) for field in ("title", "author", "date"))


@pytest.mark.parametrize("url", [None, "https://news.example/2026/story.html"])
@pytest.mark.parametrize("path", PAGES, ids=lambda path: str(path.relative_to(SITE)))
def test_title_author_url_and_date_match_trafilatura(path: Path, url: str | None) -> None:
    html = decode_html(path.read_bytes(), None)
    ours = page_metadata(load_html(html), url, DATE_PARAMS)
    theirs = extract_metadata(load_html(html), url, dict(DATE_PARAMS))
    assert [getattr(ours, field) for field in FIELDS] == [getattr(theirs, field) for field in FIELDS]
