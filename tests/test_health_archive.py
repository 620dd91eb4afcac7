"""Archive fallback against the local fake Wayback API: the closest good capture before the citation, checked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.fetch import USER_AGENT
from crawler.health.archive import (
    CitingClaim,
    archive_fetcher,
    availability_url,
    closest_before,
    find_archived_copy,
)
from crawler.netguard import AddressPolicy

CLAIM = CitingClaim(1, "The NTIA concluded that the government should not restrict the wide availability of model weights.")
UNRELATED = CitingClaim(2, "The harbour's container traffic rose by 12 percent in 2023.")
BEFORE_2026 = datetime(2026, 1, 15, tzinfo=UTC)
# The fake archive runs on 127.0.0.1, as an operator's own archive host would be allowed.
FETCH = archive_fetcher(AddressPolicy(allow_private=True), USER_AGENT)


@pytest.fixture
def archive(mockserver):
    mockserver.reset()
    yield mockserver.base_url
    mockserver.reset()


def lookup(base_url, url, *, target=BEFORE_2026, limit=BEFORE_2026, claims=(CLAIM, UNRELATED)):
    return find_archived_copy(url, list(claims), target=target, limit=limit, base_url=base_url, fetch=FETCH)


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


def test_dead_source_gets_the_good_capture_and_claims_verified_on_it(archive):
    result = lookup(archive, "http://example.org/gone/open-weights-explainer")
    assert result.usable, result.reason
    assert result.archive_url == f"{archive}/web/20250301120000/http://example.org/gone/open-weights-explainer"
    assert result.timestamp == datetime(2025, 3, 1, 12, tzinfo=UTC)
    verdicts = {row["claim_id"]: row["verdict"] for row in result.verdicts}
    assert verdicts[1] == "supported"
    assert verdicts[2] in ("not_found", "partial") and verdicts[2] != "supported"
    assert result.as_evidence()["claims_supported"] >= 1


def test_no_capture_before_the_ingest_date(archive):
    result = lookup(archive, "http://example.org/gone/open-weights-explainer", limit=datetime(2024, 1, 1, tzinfo=UTC))
    assert (result.usable, result.archive_url) == (False, None)
    assert "no capture" in result.reason


def test_captured_error_page_served_as_200_is_rejected(archive, mockserver):
    mockserver.add_capture("http://example.org/lost/page", "20250601000000", "archive/not-found-capture.html")
    result = lookup(archive, "http://example.org/lost/page")
    assert not result.usable
    assert "soft_404" in result.reason


def test_unreachable_archive_is_reported_not_raised():
    base = "http://127.0.0.1:9"
    result = find_archived_copy("http://example.org/x", [CLAIM], target=None, limit=None, base_url=base, fetch=archive_fetcher(AddressPolicy(allow_private=True), USER_AGENT, timeout=2))
    assert (result.usable, result.archive_url) == (False, None)
    assert result.reason.startswith("archive lookup failed")
