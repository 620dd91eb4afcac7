"""The overview's HTML: an article row's charts and a source page, with hostile text kept as text."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from crawler.report.overview import article_cells, source_body

T = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
HOSTILE = '"><script>alert(1)</script>'


def _history(**changes) -> dict:  # type: ignore[no-untyped-def]
    history = {
        "source": {"id": 7, "url": "https://gone.example/p", "status": "dead", "status_at": T, "last_checked_at": T,
                   "replacement_url": None, "created_at": T, "editor_note": HOSTILE},  # fmt: skip
        "checks": {"items": [{"id": 1, "checked_at": T, "outcome": "fetched", "status": "ok", "http_status": 200},
                             {"id": 2, "checked_at": T, "outcome": "failed", "status": "dead", "http_status": 404}],
                   "total": 5},  # fmt: skip
        "snapshots": {"items": [{"id": 3, "fetched_at": T, "http_status": 200, "content_type": "text/html",
                                 "content_hash": "ab" * 32, "title": HOSTILE}], "total": 1},  # fmt: skip
        "claims": {"items": [{"claim_id": 9, "article_id": 2, "index": 4, "text": HOSTILE, "reference": 3,
                              "verdict": "unavailable", "verifications": []}], "total": 1},  # fmt: skip
        "problems": [{"status": "dead", "confirmed": True, "first_seen": T, "checks": 3}],
        "archives": [{"url": "https://archive.example/web/2026/p", "captured_at": T, "found_by": "lookup"}],
    }
    return {**history, **changes}


def test_a_source_page_shows_its_timeline_snapshots_claims_and_archived_copy() -> None:
    body = source_body(_history())
    assert re.findall(r'data-status="(\w+)"', body) == ["ok", "dead"]
    assert "The latest 2 of 5, oldest on the left." in body and "ab" * 32 in body
    assert 'href="/articles/2#claim-9"' in body and "never verified" in body
    assert 'href="https://archive.example/web/2026/p"' in body and "(captured 2026-06-01 12:00)" in body
    assert "found by lookup" in body and "confirmed, since 2026-06-01 12:00, seen in 3 checks" in body


def test_a_source_page_escapes_every_text_from_the_store() -> None:
    body = source_body(_history())
    assert "<script>" not in body and body.count("&lt;script&gt;") == 3


def test_a_source_without_a_known_copy_says_so_and_shows_each_verdict_per_snapshot() -> None:
    claims = {"items": [{"claim_id": 9, "article_id": 2, "index": 4, "text": "t", "reference": 3, "verdict": "partial",
                         "verifications": [{"snapshot_id": 3, "verified_at": T, "verdict": "supported"},
                                           {"snapshot_id": 5, "verified_at": T, "verdict": "partial"}]}], "total": 1}  # fmt: skip
    body = source_body(_history(archives=[], claims=claims))
    assert "None known." in body
    assert re.findall(r"snapshot (\d+) \([^)]*\) <span class=\"verdict v-(\w+)\"", body) == [("3", "supported"),
                                                                                           ("5", "partial")]  # fmt: skip


def test_an_article_row_links_the_article_and_charts_its_verdicts_and_problems() -> None:
    verdicts = {"supported": 2, "partial": 0, "not_found": 1, "contradicted": 0, "unavailable": 1}
    cells = article_cells({"id": 3, "title": HOSTILE, "outlet": "Bugle", "published": T, "claims": 2, "url": None,
                           "verdicts": verdicts, "checks": 4, "needs_attention": 2,
                           "problem_sources": {"confirmed": 1, "unconfirmed": 2}})  # fmt: skip
    row = "".join(cells)
    assert 'href="/articles/3"' in row and "<script>" not in row
    assert re.findall(r'data-key="(\w+)" data-count="(\d+)"', cells[5]) == [(k, str(v)) for k, v in verdicts.items()]
    assert "2 of 4 need attention" in cells[5] and "1 confirmed, 2 not yet" in cells[6]
