"""Archive fallback: flagged sources looked up in the local fake Wayback API, claims verified on the copy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sqlalchemy import select

from crawler.cli import main
from crawler.fetch import USER_AGENT
from crawler.health.archive import ArchiveResult
from crawler.jobs.archive import archive_fetcher, archive_tasks, find_archived_copy, find_archives, record_archive
from crawler.jobs.broken import broken_sources
from crawler.jobs.healthpass import health_after_crawl
from crawler.netguard import AddressPolicy
from store.engine import session_factory
from store.models import Claim, Reference
from tests.storedata import FAST, T0, check, cited_source, new_article


def test_archive_tasks_aim_at_the_article_date_and_record_the_copy(db_url):
    with session_factory(db_url).begin() as session:
        source = cited_source(session, "https://c.example/gone", 1, new_article(session))
        check(session, source, "dead", T0 + timedelta(days=1), http_status=410)
        check(session, source, "dead", T0 + timedelta(days=2), http_status=410)
        health_after_crawl(session, T0, FAST)
        [task] = archive_tasks(session)
        assert (task.url, task.target, task.limit) == (source.url, T0 - timedelta(days=30), T0)
        assert [claim.text for claim in task.claims] == ["Claim 1."]
        result = ArchiveResult(source.url, "http://archive.test/web/2026/x", T0 - timedelta(days=40), True, "ok",
                               [{"claim_id": task.claims[0].id, "verdict": "supported", "score": 90.0}])  # fmt: skip
        flag = record_archive(session, task.flag_id, result)
        assert flag.archive_url == "http://archive.test/web/2026/x"
        assert archive_tasks(session) == [], "a source with an archived copy is not looked up again"
        check(session, source, "dead", T0 + timedelta(days=3), http_status=410)
        health_after_crawl(session, T0 + timedelta(days=3), FAST)
        assert broken_sources(session)[0]["evidence"]["archive"]["claims_supported"] == 1, "kept across checks"


CLAIM = Claim(id=1, text="The NTIA concluded that the government should not restrict the wide availability of model weights.", quotes=[])
UNRELATED = Claim(id=2, text="The harbour's container traffic rose by 12 percent in 2023.", quotes=[])
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


GOOD_COPY = "/web/20250301120000/http://example.org/gone/open-weights-explainer"
ERROR_COPY = "/web/20260501000000/http://example.org/gone/open-weights-explainer"  # archived with status 404


def test_the_copy_the_citation_names_is_used_first_without_asking_the_archive(archive, mockserver):
    cited = [(archive + GOOD_COPY, datetime(2025, 3, 1, 12, tzinfo=UTC))]
    result = find_archived_copy("http://example.org/never-captured", [CLAIM], cited=cited, target=BEFORE_2026,
                                limit=BEFORE_2026, base_url=archive, fetch=FETCH)  # fmt: skip
    assert result.usable and (result.found_by, result.archive_url) == ("citation", archive + GOOD_COPY)
    assert result.as_evidence()["found_by"] == "citation" and result.as_evidence()["rejected"] == []
    assert result.verdicts[0]["verdict"] == "supported"
    assert mockserver.hits("/wayback/available") == 0


def test_unusable_cited_copies_are_reported_and_the_archive_asked_next(archive, mockserver):
    mockserver.add_capture("http://example.org/lost/page", "20250601000000", "archive/not-found-capture.html")
    soft_404 = f"{archive}/web/20250601000000/http://example.org/lost/page"  # an error page archived as 200
    cited = [(soft_404, None), (archive + ERROR_COPY, None)]
    result = find_archived_copy("http://example.org/gone/open-weights-explainer", [CLAIM], cited=cited,
                                target=BEFORE_2026, limit=BEFORE_2026, base_url=archive, fetch=FETCH)  # fmt: skip
    assert result.usable and (result.found_by, result.archive_url) == ("archive", archive + GOOD_COPY)
    rejected = result.as_evidence()["rejected"]
    assert [row["archive_url"] for row in rejected] == [soft_404, archive + ERROR_COPY]
    assert rejected[0]["reason"].startswith("archived copy is itself soft_404")
    assert rejected[1]["reason"].startswith("archived copy could not be fetched: HTTP 404")
    assert mockserver.hits("/wayback/available") >= 1


def test_claims_contradicted_by_an_archived_copy_are_counted_with_their_conflicts(archive):
    contradicted = Claim(id=3, quotes=[], text="The NTIA concluded that the government should restrict the wide "
                         "availability of model weights.")  # fmt: skip
    result = lookup(archive, "http://example.org/gone/open-weights-explainer", claims=(CLAIM, contradicted))
    rows = {row["claim_id"]: row for row in result.verdicts}
    assert rows[3]["verdict"] == "contradicted" and rows[3]["conflicts"][0]["kind"] == "negation"
    assert rows[1]["conflicts"] == []
    evidence = result.as_evidence()
    assert (evidence["claims_supported"], evidence["claims_contradicted"]) == (1, 1)


def test_find_archives_tries_the_references_own_copy_and_broken_says_it_was_the_cited_one(
    db_url, archive, mockserver, capsys
):
    with session_factory(db_url).begin() as session:
        source = cited_source(session, "http://example.org/moved-away", 1, new_article(session))
        reference = session.scalars(select(Reference).where(Reference.source_id == source.id)).one()
        reference.archive_url, reference.archive_captured_at = archive + GOOD_COPY, datetime(2025, 3, 1, 12, tzinfo=UTC)
        for day in (1, 2):
            check(session, source, "dead", T0 + timedelta(days=day), http_status=404)
        health_after_crawl(session, T0, FAST)
        [task] = archive_tasks(session)
        assert task.cited == [(archive + GOOD_COPY, datetime(2025, 3, 1, 12, tzinfo=UTC))]
    find_archives(session_factory(db_url), archive, FETCH)
    assert mockserver.hits("/wayback/available") == 0
    with session_factory(db_url).begin() as session:
        [row] = broken_sources(session)
    assert row["archive_url"] == archive + GOOD_COPY and row["evidence"]["archive"]["found_by"] == "citation"
    assert main(["broken", "--db", db_url]) == 0
    assert "(cited)" in capsys.readouterr().out
