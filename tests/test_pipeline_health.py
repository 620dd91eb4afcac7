"""The health pipeline: each check's outcome and status from what extraction found, counted in stats."""

from __future__ import annotations

from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler.extract import Document
from crawler.extract.body import extract_body
from crawler.items import SourceCheckItem
from crawler.pipelines.health import HealthPipeline, judged_content
from tests.mockserver import SITE

PAGE = (SITE / "blog/eu-ai-act-open-source.html").read_bytes()
HTML = "text/html; charset=utf-8"


def health() -> HealthPipeline:
    return HealthPipeline.from_crawler(get_crawler(Spider))


def fetched(url: str, final_url: str | None = None, **fields: object) -> SourceCheckItem:
    item = SourceCheckItem(1, url, final_url=final_url or url, http_status=200, content_type=HTML, body=PAGE)
    item.extracted = extract_body(PAGE, HTML, url, None)
    for name, value in fields.items():
        setattr(item, name, value)
    return item


def test_a_new_page_is_fetched_and_ok_and_counted() -> None:
    pipeline = health()
    item = pipeline.process_item(fetched("http://a.test/story"))
    classification = item.classification
    assert (item.outcome, classification.status, classification.evidence["rule"]) == ("fetched", "ok", "content")
    stats = pipeline.stats.get_stats()
    assert (stats["citetrack/check/outcome/fetched"], stats["citetrack/check/status/ok"]) == (1, 1)


def test_a_third_cited_url_landing_on_one_page_is_a_soft_404() -> None:
    pipeline = health()
    chain = [{"status": 301, "url": "x"}]
    items = [fetched(f"http://a.test/old/{n}", "http://a.test/landing", redirect_chain=chain) for n in range(3)]
    statuses = [pipeline.process_item(item).classification.status for item in items]
    assert statuses == ["redirected", "redirected", "soft_404"]
    assert pipeline.stats.get_value("citetrack/check/status/soft_404") == 1


def test_a_304_with_a_stored_document_is_judged_as_the_page_it_was() -> None:
    stored = Document("ok", "The stored text of the page.", "Title", None, None, "html", "test")
    item = SourceCheckItem(source_id=1, url="http://a.test/s", final_url="http://a.test/s", http_status=304,
                           previous_snapshot_id=7, stored=(stored, PAGE, HTML))  # fmt: skip
    content = judged_content(item)
    assert (content.outcome, content.judged_status, content.document) == ("unchanged", 200, stored)
    assert health().process_item(item).classification.status == "ok"


def test_a_failed_request_is_failed_with_its_transport_status() -> None:
    item = SourceCheckItem(source_id=1, url="http://a.test/s", failure="timeout", failure_detail="took too long")
    checked = health().process_item(item)
    assert (checked.outcome, checked.classification.status, checked.classification.conclusive) == (
        "failed", "timeout", False
    )
