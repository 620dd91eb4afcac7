"""Decide a source's health status from one check, with the evidence that led to it."""

from __future__ import annotations

import re
from typing import Any

from crawler.enums import HealthStatus
from crawler.extract.sniff import media_type
from crawler.health import paywall, soft404
from crawler.health.outcome import Classification, FetchOutcome, HostProbe

# Transport failure -> (status, conclusive). A timeout, a DNS failure or a reset connection is often a
# passing hiccup, so one such check alone is inconclusive (see crawler.health.flags for repeats).
FAILURE_STATUS: dict[str, tuple[HealthStatus, bool]] = {
    "dns": (HealthStatus.DEAD, False),
    "refused": (HealthStatus.DEAD, True),
    "connection": (HealthStatus.DEAD, False),
    "timeout": (HealthStatus.TIMEOUT, False),
    "too_large": (HealthStatus.TOO_LARGE, True),
    "robots": (HealthStatus.BLOCKED, True),
    "forbidden_address": (HealthStatus.BLOCKED, True),
    "redirect_loop": (HealthStatus.DEAD, True),
    "too_many_redirects": (HealthStatus.DEAD, True),
}
PERMANENT_REDIRECTS = frozenset({301, 308})
_WORDS_COUNTED = max(paywall.PAYWALL_MAX_WORDS, soft404.NOT_FOUND_MAX_WORDS)
_MARKUP = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)
TEXT_TYPES = ("text/", "application/xhtml+xml", "application/pdf", "application/xml")


def classify(outcome: FetchOutcome, probe: HostProbe | None = None, *, shared_landings: int = 0) -> Classification:
    """Return the status of one check; ``shared_landings`` counts cited URLs of the site that reached the same page."""
    if not outcome.url:
        return _status(HealthStatus.UNRESOLVED, outcome, "no_url")
    if outcome.failure:
        status, conclusive = FAILURE_STATUS.get(outcome.failure, (HealthStatus.DEAD, False))
        return _status(status, outcome, outcome.failure, conclusive=conclusive, detail=outcome.failure_detail)
    code = outcome.http_status
    if code is None:
        return _status(HealthStatus.DEAD, outcome, "no_response", conclusive=False)
    if code >= 400:
        return _http_error(outcome, code)
    if code == 304 and outcome.document is None:
        # Unchanged since the last snapshot: this check adds nothing to what that snapshot showed.
        return _status(HealthStatus.OK, outcome, "not_modified", conclusive=False)
    if code >= 300:
        return _status(HealthStatus.DEAD, outcome, "redirect_without_location")
    return _page(outcome, probe, shared_landings)


def _http_error(outcome: FetchOutcome, code: int) -> Classification:
    """Classify a 4xx or 5xx answer."""
    rule = f"http_{code}"
    if code in (404, 410):
        return _status(HealthStatus.DEAD, outcome, rule)
    if code in (401, 402):
        return _status(HealthStatus.PAYWALLED, outcome, rule)
    if code == 403:
        marker = paywall.paywall_marker(outcome.html, _words(outcome))
        host = paywall.known_paywall_host(outcome.final_url or outcome.url)
        if marker or host:
            return _status(HealthStatus.PAYWALLED, outcome, rule, matched=marker or f"known paywall host {host}")
        return _status(HealthStatus.BLOCKED, outcome, rule, matched=paywall.bot_wall_marker(outcome.html))
    if code == 451:
        return _status(HealthStatus.BLOCKED, outcome, rule)
    if code == 429:
        return _status(HealthStatus.BLOCKED, outcome, rule, conclusive=False)
    if code == 408:
        return _status(HealthStatus.TIMEOUT, outcome, rule, conclusive=False)
    if code >= 500:
        marker = paywall.bot_wall_marker(outcome.html)
        if marker:
            return _status(HealthStatus.BLOCKED, outcome, rule, matched=marker)
        return _status(HealthStatus.SERVER_ERROR, outcome, rule, conclusive=False, retries=outcome.retries)
    return _status(HealthStatus.DEAD, outcome, rule)


def _page(outcome: FetchOutcome, probe: HostProbe | None, shared_landings: int) -> Classification:
    """Classify a 2xx answer: a real page, a soft 404, a wall, or a body with no text."""
    final_url = outcome.final_url or outcome.url
    words = _words(outcome)
    moved = not soft404.same_page(outcome.url, final_url)
    if moved:
        segment = soft404.not_found_url(final_url)
        if segment:
            return _status(HealthStatus.DEAD, outcome, "not_found_url", matched=segment)
        root = soft404.root_redirect(outcome.url, final_url)
        if root:
            return _status(HealthStatus.SOFT_404, outcome, "redirect_to_root", matched=root)
        if shared_landings >= soft404.SHARED_REDIRECT_MIN:
            return _status(HealthStatus.SOFT_404, outcome, "shared_redirect", shared_by=shared_landings)
    marker = paywall.paywall_marker(outcome.html, words)
    if marker:
        return _status(HealthStatus.PAYWALLED, outcome, "paywall_marker", matched=marker, words=words)
    bot = paywall.bot_wall_marker(outcome.html) if words <= paywall.PAYWALL_MAX_WORDS else None
    if bot:
        return _status(HealthStatus.BLOCKED, outcome, "bot_wall", matched=bot, words=words)
    if not _has_text_type(outcome):
        return _status(HealthStatus.UNSUPPORTED, outcome, "content_type", content_type=outcome.content_type)
    if outcome.extraction_error is not None:
        return _status(HealthStatus.UNREADABLE, outcome, "extraction_error", detail=outcome.extraction_error)
    title = outcome.document.title if outcome.document else None
    heading = soft404.not_found_heading(title, outcome.html, words)
    if heading:
        return _status(HealthStatus.SOFT_404, outcome, "not_found_wording", matched=heading, words=words)
    similarity = _probe_similarity(outcome, probe)
    if similarity is not None and similarity >= soft404.PROBE_SIMILARITY:
        return _status(
            HealthStatus.SOFT_404, outcome, "probe_similarity", similarity=similarity, probe_url=probe and probe.url
        )
    if outcome.document is not None and not outcome.document.text.strip():
        return _status(HealthStatus.UNSUPPORTED, outcome, "no_text", detail=outcome.document.detail)
    extra = {} if similarity is None else {"similarity": similarity}
    if moved and any(hop.get("status") in PERMANENT_REDIRECTS for hop in outcome.redirect_chain):
        return _status(HealthStatus.REDIRECTED, outcome, "permanent_redirect", **extra)
    return _status(HealthStatus.OK, outcome, "temporary_redirect" if moved else "content", **extra)


def _probe_similarity(outcome: FetchOutcome, probe: HostProbe | None) -> float | None:
    """Return the likeness of the page's text to the host probe's text, or None when either has none."""
    text = outcome.document.text if outcome.document else ""
    if probe is None or not probe.text or not text.strip():
        return None
    return soft404.probe_similarity(
        text, probe.text, page_url=outcome.final_url or outcome.url, probe_url=probe.final_url or probe.url
    )


def _has_text_type(outcome: FetchOutcome) -> bool:
    """Return False for a body that holds no text (an image, an archive, a video)."""
    if outcome.document is not None:
        return outcome.document.outcome != "unsupported"
    mime = media_type(outcome.content_type)
    return not mime or mime.startswith(TEXT_TYPES)


def _words(outcome: FetchOutcome) -> int:
    """Return how many words of text the check saw: the extracted main text, else the page without markup.

    Counted up to one past the largest word limit a rule compares with: beyond it the count decides nothing,
    and splitting a long article whole was a tenth of the crawl process's time.
    """
    text = outcome.document.text if outcome.document is not None else _MARKUP.sub(" ", outcome.html or "")
    return len(text.split(maxsplit=_WORDS_COUNTED))


def _status(
    status: HealthStatus, outcome: FetchOutcome, rule: str, *, conclusive: bool = True, **extra: Any
) -> Classification:
    """Build a status whose evidence always names the rule, the HTTP status and the final URL."""
    evidence = {"rule": rule, "http_status": outcome.http_status, "final_url": outcome.final_url or outcome.url}
    evidence.update({key: value for key, value in extra.items() if value is not None})
    evidence["conclusive"] = conclusive
    return Classification(status=status, evidence=evidence, conclusive=conclusive)
