"""Ingest's work: an article read, parsed and stored in one transaction, its sources shared by canonical URL."""

from __future__ import annotations

import pytest

from crawler.exceptions import InputTooLarge, UsageError
from crawler.ingest import parse_article
from crawler.jobs.ingest import read_article, store_article
from crawler.netguard import AddressPolicy
from store.engine import session_factory

ARTICLE = (
    b"Claim one.[1] Claim two.[2]\n\nSources\n\n"
    b"1. Outlet A. https://Example.org:443/report?utm_source=x#section\n"
    b"2. Outlet B. https://example.org/report\n"
)


def test_equivalent_urls_of_two_references_share_one_source_row(db_url: str) -> None:
    with session_factory(db_url).begin() as session:
        article, created = store_article(session, parse_article(ARTICLE), "test:article")
        first, second = article.references
        assert created and first.source_id == second.source_id
        assert first.source.url == "https://example.org/report"
        assert first.url == "https://Example.org:443/report?utm_source=x#section"


def test_an_article_file_is_read_with_its_path_as_origin(tmp_path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE)
    article = read_article(str(path), policy=AddressPolicy(), user_agent="test", max_bytes=1_000)
    assert (article.body, article.origin, article.filename) == (ARTICLE, str(path.resolve()), "article.txt")


def test_a_missing_or_oversized_article_file_is_refused_before_reading(tmp_path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        read_article(str(tmp_path / "missing.txt"), policy=AddressPolicy(), user_agent="test", max_bytes=1_000)
    path = tmp_path / "big.txt"
    path.write_bytes(ARTICLE)
    with pytest.raises(InputTooLarge, match="over the 10-byte limit"):
        read_article(str(path), policy=AddressPolicy(), user_agent="test", max_bytes=10)
