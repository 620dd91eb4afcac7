"""Paywalls and bot walls told apart, from the page itself or from a known subscription host."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract import extract_document
from crawler.health import paywall
from crawler.health.outcome import FetchOutcome
from crawler.health.status import classify
from tests.mockserver import samples

SITE = Path(__file__).parent / "fixtures" / "site"


def fixture_check(relative: str, http_status: int = 200) -> FetchOutcome:
    body = (SITE / relative).read_bytes()
    url = f"http://127.0.0.1:8000/{relative}"
    document = extract_document(body, "text/html; charset=utf-8", url)
    return FetchOutcome(url=url, final_url=url, http_status=http_status, content_type="text/html",
                        html=body.decode("utf-8"), document=document)  # fmt: skip


@pytest.mark.parametrize(
    ("relative", "http_status"),
    [("journal/ieee-democratizing-ai.html", 200), ("members/briefing.html", 200), ("members/annual-review.html", 401)],
)
def test_fixture_walls_are_paywalled(relative, http_status):
    assert classify(fixture_check(relative, http_status)).status == "paywalled"


@pytest.mark.parametrize(
    "relative",
    ["journal/open-weights-global-south.html", "thinktank/open-source-ai-resilience.html", "blog/eu-ai-act-open-source.html"],
)
def test_fixture_articles_are_not_walls(relative):
    assert classify(fixture_check(relative)).status == "ok"


def test_bot_wall_fixture_is_blocked_not_paywalled():
    url = "http://127.0.0.1:8000/bot-wall"
    verdict = classify(FetchOutcome(url=url, final_url=url, http_status=403, html=samples.bot_wall_page()))
    assert verdict.status == "blocked"
    assert verdict.evidence["matched"]


def test_subscribe_marker_with_a_short_extract():
    html = "<p>Only the first paragraph is free.</p><p>Subscribe to continue reading.</p>"
    assert paywall.paywall_marker(html, words=20) == "Subscribe to continue"
    assert paywall.paywall_marker(html, words=paywall.PAYWALL_MAX_WORDS + 1) is None


def test_structured_data_not_free_is_a_marker():
    html = '<script type="application/ld+json">{"isAccessibleForFree": "False"}</script>'
    assert paywall.paywall_marker(html, words=50)


@pytest.mark.parametrize(("url", "host"), [("https://www.wsj.com/a", "wsj.com"), ("https://ft.com/x", "ft.com"),
                                           ("https://notft.com/x", None)])  # fmt: skip
def test_known_paywall_hosts_match_domains_and_subdomains_only(url, host):
    assert paywall.known_paywall_host(url) == host
