"""Outlet adapters in a real crawl: pages served from 127.0.0.1 are mapped onto them by a setting."""

from __future__ import annotations

import json

from tests.crawling import add_sources, by_url, crawl, snapshots
from tests.mockserver import MockServer

AGENCY = "/outlets/agency/reports/open-model-weights-monitoring.html"
PUBLISHER = "/outlets/publisher/articles/s41467-026-01234-5.html"


def test_outlet_adapters_choose_the_document_and_the_text(db_url: str, mockserver: MockServer) -> None:
    agency, publisher = mockserver.url(AGENCY), mockserver.url(PUBLISHER)
    add_sources(db_url, [agency, publisher])
    outlets = {"ntia": [mockserver.url("/outlets/agency/")], "nature": [mockserver.url("/outlets/publisher/")]}

    code, summary = crawl(db_url, "--allow-private", "-s", f"CITETRACK_OUTLET_URLS={json.dumps(outlets)}")

    assert code == 0
    assert {row["status"] for row in by_url(summary).values()} == {"ok"}
    (report,) = snapshots(db_url, agency)
    assert report.content_type == "application/pdf"
    assert [fetch["url"] for fetch in report.fetches] == [
        agency,
        mockserver.url("/outlets/agency/files/open-model-weights-annex.pdf"),
    ]
    assert "Monitoring Framework" in report.text
    (article,) = snapshots(db_url, publisher)
    assert article.content_type.startswith("text/html")
    assert article.fetches[0]["outlet"] == "nature" and len(article.fetches) == 1
    assert "shared research infrastructure" in article.text
    assert "REFERENCE-LIST-MARKER" not in article.text
