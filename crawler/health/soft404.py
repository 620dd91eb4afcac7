"""Soft-404 rules: not-found URLs, redirects to a site's root, not-found wording, and likeness to a host's probe."""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urlsplit

from rapidfuzz import fuzz

# Path segments a site sends a missing page to (``/404``, ``/notfound``, ``/error.html`` …).
NOT_FOUND_SEGMENT = re.compile(
    r"^(?:404|410|not[-_]?found|page[-_]?not[-_]?found|(?:404|error)[-_]?page|errors?|missing)(?:\.\w{2,5})?$",
    re.IGNORECASE,
)
NOT_FOUND_QUERY = re.compile(r"(?:^|&)(?:error|status)=(?:404|410|not[-_]?found)(?:&|$)", re.IGNORECASE)
# Wording of a "not found" page title or heading.
NOT_FOUND_WORDING = re.compile(
    r"\b(?:404|page not found|not found|page (?:does not|doesn't|cannot|can't) (?:exist|be found)"
    r"|no longer (?:available|exists)|(?:could not|couldn't|can't|cannot) find (?:the|that|this) page"
    r"|page (?:is )?missing|nothing (?:was )?found)\b",
    re.IGNORECASE,
)
# A not-found page says little: above this many words, the wording is taken to be about something else.
NOT_FOUND_MAX_WORDS = 120
# rapidfuzz ratio (0-100) of a page's text to the host's answer for a random path, at or above which the page
# is that same answer. Measured (tests/test_health_soft404.py): any two distinct pages of tests/fixtures/site
# score at most 45 (78 pairs); one catch-all page answering two different paths scores 100 (paths blanked out).
PROBE_SIMILARITY = 85.0
# Distinct cited URLs of one site landing on one page before that page counts as a soft 404.
SHARED_REDIRECT_MIN = 3
INDEX_NAMES = frozenset({"", "index", "index.html", "index.htm", "index.php", "home", "default.aspx"})
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_HEADING = re.compile(r"<h1[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def path_segments(url: str) -> list[str]:
    """Return the non-empty path segments of a URL."""
    return [segment for segment in urlsplit(url).path.split("/") if segment]


def same_page(url: str, other: str) -> bool:
    """Return True when two URLs differ only by scheme, ``www.``, a trailing slash or an index file name."""
    first, second = urlsplit(url), urlsplit(other)
    return (
        _bare_host(first.hostname) == _bare_host(second.hostname)
        and _page_path(first.path) == _page_path(second.path)
        and first.query == second.query
    )


def not_found_url(final_url: str) -> str | None:
    """Return the part of ``final_url`` that says "not found" (a path segment or query), or None."""
    parts = urlsplit(final_url)
    for segment in path_segments(final_url):
        if NOT_FOUND_SEGMENT.match(segment):
            return segment
    match = NOT_FOUND_QUERY.search(parts.query)
    return match.group(0).strip("&") if match else None


def root_redirect(url: str, final_url: str) -> str | None:
    """Return 'home' or 'section root' when a cited URL was sent to its site's home page or a section above it."""
    cited, landed = path_segments(url), _strip_index(path_segments(final_url))
    if not cited or same_page(url, final_url):
        return None
    if not landed:
        return "home"
    if len(landed) < len(cited) and cited[: len(landed)] == landed and len(landed) <= 1:
        return "section root"
    return None


def not_found_heading(title: str | None, html: str | None, words: int) -> str | None:
    """Return the not-found wording found in the title or first heading of a page with little text, or None."""
    if words > NOT_FOUND_MAX_WORDS:
        return None
    for candidate in (title, *_heading_texts(html)):
        match = NOT_FOUND_WORDING.search(candidate or "")
        if match:
            return " ".join((candidate or "").split())
    return None


def probe_similarity(text: str, probe_text: str, *, page_url: str, probe_url: str) -> float:
    """Return the 0-100 likeness of a page's text to the host's answer for a random path (paths blanked out)."""
    return round(fuzz.ratio(_comparable(text, page_url), _comparable(probe_text, probe_url)), 1)


class SharedRedirects:
    """Counts the distinct cited URLs that land on each final URL, so a crawl can spot a site-wide catch-all."""

    def __init__(self, minimum: int = SHARED_REDIRECT_MIN) -> None:
        self.minimum = minimum
        self._cited_by_landing: dict[str, set[str]] = defaultdict(set)

    def add(self, url: str, final_url: str | None) -> int:
        """Record that ``url`` landed on ``final_url``; return how many distinct URLs landed there so far."""
        if not final_url or same_page(url, final_url):
            return 0
        self._cited_by_landing[final_url].add(url)
        return len(self._cited_by_landing[final_url])

    def shared_landings(self) -> dict[str, set[str]]:
        """Return each final URL reached by at least ``minimum`` distinct cited URLs, with those URLs."""
        return {landing: set(urls) for landing, urls in self._cited_by_landing.items() if len(urls) >= self.minimum}


def _comparable(text: str, url: str) -> str:
    """Lower-case ``text`` with whitespace collapsed and the page's own path removed."""
    flat = " ".join(text.lower().split())
    path = urlsplit(url).path.lower()
    # Only long tokens: blanking a short segment such as "a" would erase letters everywhere.
    for token in sorted({path, path.strip("/"), *path_segments(path)}, key=len, reverse=True):
        if len(token) >= 6:
            flat = flat.replace(token, "")
    return flat


def _heading_texts(html: str | None) -> list[str]:
    """Return the page's <title> and first <h1> as plain text."""
    if not html:
        return []
    found = [_TITLE.search(html), _HEADING.search(html)]
    return [_TAG.sub(" ", match.group(1)) for match in found if match]


def _bare_host(host: str | None) -> str:
    return (host or "").lower().removeprefix("www.")


def _page_path(path: str) -> tuple[str, ...]:
    return tuple(_strip_index([segment for segment in path.split("/") if segment]))


def _strip_index(segments: list[str]) -> list[str]:
    """Drop a trailing index file name (``/index.html`` is the directory itself)."""
    if segments and segments[-1].lower() in INDEX_NAMES:
        return segments[:-1]
    return segments
