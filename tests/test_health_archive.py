"""Archive fallback against the local fake Wayback API: the closest good capture before the citation, checked."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.health.archive import (
    availability_url,
    closest_before,
)

BEFORE_2026 = datetime(2026, 1, 15, tzinfo=UTC)


def test_availability_url_has_the_wayback_timestamp():
    url = availability_url("http://a", "https://example.org/x?y=1", datetime(2025, 3, 1, 12, 0, tzinfo=UTC))
    assert url == "http://a/wayback/available?url=https%3A%2F%2Fexample.org%2Fx%3Fy%3D1&timestamp=20250301120000"


def test_closest_before_refuses_later_captures_and_error_captures():
    answer = {"archived_snapshots": {"closest": {"available": True, "status": "200", "url": "u", "timestamp": "20250301120000"}}}
    assert closest_before(answer, BEFORE_2026) == ("u", datetime(2025, 3, 1, 12, tzinfo=UTC))
    assert closest_before(answer, datetime(2025, 1, 1, tzinfo=UTC)) is None
    answer["archived_snapshots"]["closest"]["status"] = "404"
    assert closest_before(answer, None) is None
    assert closest_before({"archived_snapshots": {}}, None) is None
