"""The fact-checker and editor pages in a real headless Chromium, with JavaScript switched off."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.prerequisites import REQUIRE_BROWSER, unavailable
from tests.reportdata import HOSTILE_CLAIM, HOSTILE_TITLE, add_contradiction, populate
from tests.webserver import running_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module."""
    with sync_playwright() as playwright:
        chromium = _launch(playwright)
        yield chromium
        chromium.close()


def _launch(playwright: Playwright) -> Browser:
    """Start Debian's Chromium; skip (fail in CI) with the launch error's first line when it cannot start."""
    try:
        return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except PlaywrightError as error:
        reason = f"Chromium ({CHROMIUM}) could not start with Playwright: {str(error).strip().splitlines()[0]}"
    unavailable(reason, REQUIRE_BROWSER)


def test_fact_checker_reads_claims_and_verdicts_then_editor_follows_link_to_broken_sources(
    browser: Browser, sqlite_url: str
) -> None:
    data = populate(sqlite_url)
    with running_app(sqlite_url) as base_url:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        page.goto(f"{base_url}/")
        page.get_by_role("link", name=HOSTILE_TITLE).click()
        assert page.url == f"{base_url}/articles/{data.article_id}"
        assert page.locator("h1").inner_text() == HOSTILE_TITLE
        claims = page.locator(".claim")
        assert claims.count() == 4
        # The claims that need attention (#3 partial, #4 unavailable) come first, then the supported ones.
        assert [text.split()[0] for text in page.locator(".claim > p").all_inner_texts()] == ["#3", "#4", "#1", "#2"]
        assert HOSTILE_CLAIM in claims.nth(3).inner_text()
        first = claims.nth(2)
        assert [badge.inner_text() for badge in first.locator(".verdict").all()] == [
            "supported",
            "supported",
            "not found",
        ]
        assert "government" in [mark.inner_text().lower() for mark in first.locator("mark").all()]
        assert "unavailable" in claims.nth(1).inner_text() and "dangling" in claims.nth(1).inner_text()
        page.get_by_role("link", name="Broken sources").click()
        assert page.url == f"{base_url}/broken"
        row = page.locator("tbody tr").first
        assert row.locator("td").first.inner_text() == "0"  # claim 3 cites it, but it never supported claim 3
        assert "https://gone.example/paper" in row.inner_text() and "dead" in row.inner_text()
        row.get_by_role("link", name=f"article {data.article_id}").click()
        assert page.url == f"{base_url}/articles/{data.article_id}"
        assert dialogs == []
        context.close()


def test_report_page_filters_work_without_javascript(browser: Browser, sqlite_url: str) -> None:
    data = populate(sqlite_url)
    with running_app(sqlite_url) as base_url:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{base_url}/articles/{data.article_id}")
        page.get_by_role("link", name="Show unsupported").click()
        assert [text.split()[0] for text in page.locator(".claim > p").all_inner_texts()] == ["#3", "#4"]
        context.close()


def test_claim_search_form_finds_claims_without_javascript(browser: Browser, sqlite_url: str) -> None:
    data = populate(sqlite_url)
    with running_app(sqlite_url) as base_url:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{base_url}/")
        page.get_by_role("link", name="Search claims").click()
        page.get_by_label("Text").fill("lost paper")
        page.get_by_label("Verdict").select_option("partial")
        page.get_by_role("button", name="Search").click()
        rows = page.locator("tbody tr")
        assert rows.count() == 1 and "A lost paper measured" in rows.first.inner_text()
        rows.first.get_by_role("link").click()
        assert page.url == f"{base_url}/articles/{data.article_id}#claim-{data.claim_ids[2]}"
        context.close()


ARCHIVED_PAGE = "<!DOCTYPE html><title>Archived: Lost paper</title><h1>Lost paper (archived)</h1>"


def _charts(scope: Locator, chart: str) -> list[dict[str, int]]:
    """Return the numbers of each chart named ``chart`` under ``scope``, as the SVG's marks carry them."""
    found = []
    for svg in scope.locator(f'svg[data-chart="{chart}"]').all():
        marks = svg.locator("rect[data-key]").all()
        found.append({str(mark.get_attribute("data-key")): int(mark.get_attribute("data-count") or 0) for mark in marks})
    return found


def test_editor_follows_the_most_problems_to_a_broken_source_and_its_archived_copy(
    browser: Browser, sqlite_url: str
) -> None:
    data = populate(sqlite_url)
    archive_url = "https://web.archive.example/web/2026/https://gone.example/paper"
    with running_app(sqlite_url) as base_url:
        context = browser.new_context(java_script_enabled=False)
        # The archive is on the internet: the browser gets its page from the test instead.
        context.route("https://web.archive.example/**", lambda route: route.fulfill(body=ARCHIVED_PAGE,
                                                                                 content_type="text/html"))  # fmt: skip
        page = context.new_page()
        page.goto(f"{base_url}/")
        page.get_by_role("link", name="Most problems first").click()
        first = page.locator("tbody tr").first
        assert HOSTILE_TITLE in first.inner_text() and "1 confirmed, 0 not yet" in first.inner_text()
        first.get_by_role("link", name=HOSTILE_TITLE).click()
        assert page.url == f"{base_url}/articles/{data.article_id}"
        assert page.locator("h2").first.inner_text() == "Claims that need attention (2)"
        sources = page.locator("table tbody tr", has_text="Lost paper")
        sources.get_by_role("link", name="source page").click()
        assert page.url == f"{base_url}/sources/{data.dead_source_id}"
        assert "https://gone.example/paper" in page.locator("p").first.inner_text()
        assert "dead confirmed" in page.locator(".problems").inner_text()
        claim = page.locator("tr", has_text="A lost paper measured")
        assert "unavailable" in claim.inner_text() and "never verified" in claim.inner_text()
        page.get_by_role("link", name="archived copy").click()
        assert page.url == archive_url and page.locator("h1").inner_text() == "Lost paper (archived)"
        context.close()


def test_every_chart_shows_the_numbers_of_the_json_api(browser: Browser, sqlite_url: str) -> None:
    data = populate(sqlite_url)
    add_contradiction(sqlite_url, data)
    with running_app(sqlite_url) as base_url, httpx.Client(base_url=base_url, timeout=10) as api:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{base_url}/?sort=problems")
        articles = api.get("/api/articles", params={"sort": "problems"}).json()["items"]
        assert _charts(page.locator("tbody"), "verdicts") == [a["verdicts"] for a in articles]
        assert _charts(page.locator("tbody"), "problems") == [a["problem_sources"] for a in articles]
        page.goto(f"{base_url}/articles/{data.article_id}")
        summary = api.get(f"/api/articles/{data.article_id}/report").json()["summary"]
        assert _charts(page.locator("body"), "verdicts") == [summary["verdicts"]]
        assert _charts(page.locator("body"), "sources") == [summary["reference_statuses"]]
        for source_id in (data.ntia_source_id, data.dead_source_id):
            page.goto(f"{base_url}/sources/{source_id}")
            checks = api.get(f"/api/sources/{source_id}").json()["checks"]["items"]
            marks = page.locator('svg[data-chart="checks"] rect')
            assert [mark.get_attribute("data-status") for mark in marks.all()] == [c["status"] for c in checks]
        context.close()
