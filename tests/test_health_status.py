"""classify(): every health status of a source, with its evidence and whether the check was conclusive."""

from __future__ import annotations

import pytest

from crawler.extract import extract_document
from crawler.health.outcome import FetchOutcome, HostProbe
from crawler.health.status import classify

URL = "https://example.org/news/2024/ports-report"
ARTICLE = " ".join(
    f"Paragraph {n}: the port authority reported that container traffic rose by {n} percent in the quarter, "
    "while dock workers said the new cranes had cut the average unloading time of a ship by half."
    for n in range(1, 15)
)
ARTICLE_HTML = f"<html><head><title>Ports report</title></head><body><article><h1>Ports report</h1><p>{ARTICLE}</p></article></body></html>"
NOT_FOUND_HTML = (
    "<html><head><title>Page not found | Example News</title></head><body><h1>Sorry, we could not find that page</h1>"
    "<p>The page {path} does not exist. Try the search box or go back to the home page.</p></body></html>"
)
PAYWALL_HTML = (
    "<html><head><title>Ports report</title></head><body><article><h1>Ports report</h1>"
    "<p>Container traffic rose sharply this quarter, the port authority says, as new cranes came online.</p>"
    "<div class='paywall'><p>Subscribe to read the full article.</p><p>Already a subscriber? Log in.</p></div>"
    "</article></body></html>"
)
LOGIN_HTML = (
    "<html><head><title>Sign in</title></head><body><h1>Members area</h1><form action='/login' method='post'>"
    "<input name='user'><input type='password' name='pw'><button>Sign in</button></form></body></html>"
)
BOT_WALL_HTML = "<html><head><title>Attention Required! | Cloudflare</title></head><body><h1>Please verify you are human</h1><div class='captcha'></div></body></html>"


def page(html: str, url: str = URL, **fields) -> FetchOutcome:
    """A 200 check of ``url`` that returned ``html``, extracted as the crawl extracts it."""
    fields.setdefault("http_status", 200)
    fields.setdefault("final_url", url)
    fields.setdefault("content_type", "text/html; charset=utf-8")
    document = extract_document(html.encode(), fields["content_type"], fields["final_url"])
    return FetchOutcome(url=url, html=html, document=document, **fields)


def test_article_page_is_ok_and_conclusive():
    verdict = classify(page(ARTICLE_HTML))
    assert (verdict.status, verdict.conclusive) == ("ok", True)
    assert verdict.evidence["rule"] == "content"
    assert verdict.evidence["http_status"] == 200
    assert verdict.evidence["final_url"] == URL


def test_missing_url_is_unresolved():
    assert classify(FetchOutcome(url="")).status == "unresolved"


@pytest.mark.parametrize("code", [404, 410])
def test_404_and_410_are_dead_with_the_code_as_evidence(code):
    verdict = classify(FetchOutcome(url=URL, final_url=URL, http_status=code))
    assert (verdict.status, verdict.evidence["rule"], verdict.conclusive) == ("dead", f"http_{code}", True)


@pytest.mark.parametrize(
    ("failure", "status", "conclusive"),
    [
        ("refused", "dead", True),
        ("dns", "dead", False),
        ("connection", "dead", False),
        ("timeout", "timeout", False),
        ("too_large", "too_large", True),
        ("robots", "blocked", True),
        ("forbidden_address", "blocked", True),
        ("redirect_loop", "dead", True),
        ("too_many_redirects", "dead", True),
    ],
)
def test_transport_failures_map_to_status_and_conclusiveness(failure, status, conclusive):
    verdict = classify(FetchOutcome(url=URL, failure=failure, failure_detail="detail text"))
    assert (verdict.status, verdict.conclusive) == (status, conclusive)
    assert verdict.evidence["rule"] == failure
    assert verdict.evidence["detail"] == "detail text"
    assert verdict.evidence["conclusive"] is conclusive


def test_5xx_after_retries_is_server_error_but_inconclusive_alone():
    verdict = classify(FetchOutcome(url=URL, final_url=URL, http_status=500, retries=2))
    assert (verdict.status, verdict.conclusive) == ("server_error", False)
    assert verdict.evidence["retries"] == 2


def test_bot_challenge_served_as_503_is_blocked_not_server_error():
    verdict = classify(FetchOutcome(url=URL, final_url=URL, http_status=503, html=BOT_WALL_HTML))
    assert verdict.status == "blocked"


def test_403_bot_wall_is_blocked_with_the_matched_wording():
    verdict = classify(FetchOutcome(url=URL, final_url=URL, http_status=403, html=BOT_WALL_HTML))
    assert verdict.status == "blocked"
    assert verdict.evidence["matched"].lower() == "attention required! | cloudflare"


def test_403_on_a_known_paywall_host_is_paywalled():
    url = "https://www.ft.com/content/abc"
    verdict = classify(FetchOutcome(url=url, final_url=url, http_status=403, html="<html><body>Forbidden</body></html>"))
    assert verdict.status == "paywalled"
    assert "ft.com" in verdict.evidence["matched"]


def test_403_with_paywall_markers_is_paywalled():
    verdict = classify(FetchOutcome(url=URL, final_url=URL, http_status=403, html=PAYWALL_HTML))
    assert verdict.status == "paywalled"


@pytest.mark.parametrize(("code", "status"), [(401, "paywalled"), (402, "paywalled"), (451, "blocked"), (400, "dead")])
def test_other_client_errors(code, status):
    assert classify(FetchOutcome(url=URL, final_url=URL, http_status=code)).status == status


@pytest.mark.parametrize(("code", "status"), [(429, "blocked"), (408, "timeout")])
def test_rate_limit_and_request_timeout_are_inconclusive(code, status):
    verdict = classify(FetchOutcome(url=URL, final_url=URL, http_status=code))
    assert (verdict.status, verdict.conclusive) == (status, False)


def test_paywall_page_with_short_abstract_is_paywalled():
    verdict = classify(page(PAYWALL_HTML))
    assert verdict.status == "paywalled"
    assert verdict.evidence["rule"] == "paywall_marker"


def test_login_form_replacing_the_body_is_paywalled():
    verdict = classify(page(LOGIN_HTML))
    assert (verdict.status, verdict.evidence["matched"]) == ("paywalled", "login form")


def test_long_free_article_with_a_subscribe_footer_is_ok():
    html = ARTICLE_HTML.replace("</article>", "<p>Subscribe to read more stories like this.</p></article>")
    assert classify(page(html)).status == "ok"


def test_redirect_to_home_page_is_soft_404():
    outcome = page(ARTICLE_HTML, final_url="https://example.org/", redirect_chain=[{"status": 301, "url": URL}])
    verdict = classify(outcome)
    assert (verdict.status, verdict.evidence["matched"]) == ("soft_404", "home")


def test_redirect_to_section_root_is_soft_404():
    outcome = page(ARTICLE_HTML, final_url="https://example.org/news/", redirect_chain=[{"status": 302, "url": URL}])
    assert classify(outcome).evidence["matched"] == "section root"


def test_redirect_to_a_not_found_url_is_dead():
    outcome = page(ARTICLE_HTML, final_url="https://example.org/errors/404.html", redirect_chain=[{"status": 302, "url": URL}])
    verdict = classify(outcome)
    assert (verdict.status, verdict.evidence["rule"], verdict.evidence["matched"]) == ("dead", "not_found_url", "errors")


def test_cited_url_that_itself_contains_error_is_not_dead():
    url = "https://example.org/science/error-correction-in-qubits"
    assert classify(page(ARTICLE_HTML, url=url)).status == "ok"


def test_permanent_redirect_to_content_is_redirected_and_shows_the_new_url():
    new_url = "https://example.org/articles/ports-report-2024"
    outcome = page(ARTICLE_HTML, final_url=new_url, redirect_chain=[{"status": 301, "url": URL}])
    verdict = classify(outcome)
    assert (verdict.status, verdict.evidence["final_url"]) == ("redirected", new_url)


def test_https_upgrade_or_trailing_slash_is_not_a_redirect():
    outcome = page(ARTICLE_HTML, final_url=URL.replace("https:", "http:") + "/", redirect_chain=[{"status": 301, "url": URL}])
    assert classify(outcome).status == "ok"


def test_temporary_redirect_to_content_is_ok():
    outcome = page(ARTICLE_HTML, final_url="https://cdn.example.org/a/b", redirect_chain=[{"status": 302, "url": URL}])
    verdict = classify(outcome)
    assert (verdict.status, verdict.evidence["rule"]) == ("ok", "temporary_redirect")


def test_many_cited_urls_landing_on_one_page_is_soft_404():
    outcome = page(ARTICLE_HTML, final_url="https://example.org/archive/landing", redirect_chain=[{"status": 301, "url": URL}])
    verdict = classify(outcome, shared_landings=3)
    assert (verdict.status, verdict.evidence["shared_by"]) == ("soft_404", 3)
    assert classify(outcome, shared_landings=2).status == "redirected"


def test_not_found_wording_in_title_with_little_text_is_soft_404():
    verdict = classify(page(NOT_FOUND_HTML.format(path="/news/2024/ports-report")))
    assert verdict.status == "soft_404"
    assert verdict.evidence["rule"] == "not_found_wording"


def test_page_like_the_hosts_answer_for_a_random_path_is_soft_404():
    probe_url = "https://example.org/citetrack-probe-5d41402abc4b2a76"
    catch_all = "<html><head><title>Example News</title></head><body><main><p>We looked everywhere for {path} but there is nothing here. " + (
        "Browse our latest stories on trade, shipping and economics instead. " * 3
    ) + "</p></main></body></html>"
    probe_document = extract_document(catch_all.format(path=probe_url).encode(), "text/html", probe_url)
    probe = HostProbe(url=probe_url, http_status=200, final_url=probe_url, text=probe_document.text)
    verdict = classify(page(catch_all.format(path=URL)), probe)
    assert verdict.status == "soft_404"
    assert verdict.evidence["similarity"] >= 85
    assert verdict.evidence["probe_url"] == probe_url


def test_real_article_is_not_like_the_hosts_catch_all_and_reports_the_figure():
    probe = HostProbe(url="https://example.org/x", http_status=404, final_url=None, text="Page not found. Try the search box.")
    verdict = classify(page(ARTICLE_HTML), probe)
    assert verdict.status == "ok"
    assert verdict.evidence["similarity"] < 40


def test_image_is_unsupported():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    outcome = FetchOutcome(
        url=URL, final_url=URL, http_status=200, content_type="image/png", document=extract_document(png, "image/png")
    )
    verdict = classify(outcome)
    assert (verdict.status, verdict.evidence["content_type"]) == ("unsupported", "image/png")


def test_image_without_extraction_is_unsupported_by_content_type():
    assert classify(FetchOutcome(url=URL, final_url=URL, http_status=200, content_type="image/jpeg")).status == "unsupported"


def test_page_with_no_extractable_text_is_unsupported():
    outcome = page("<html><body><div id='app'></div><script>render()</script></body></html>")
    verdict = classify(outcome)
    assert (verdict.status, verdict.evidence["rule"]) == ("unsupported", "no_text")


def test_not_modified_is_ok_but_inconclusive():
    verdict = classify(FetchOutcome(url=URL, final_url=URL, http_status=304))
    assert (verdict.status, verdict.conclusive) == ("ok", False)
