"""Archived copies of web pages: which links are captures, what they captured and when.

Wayback-style archives put the capture time and the original URL in the path
(``web.archive.org/web/20140709011039/http://…``, ``arquivo.pt/wayback/…``, ``archive.today/2013.08.20-120000/…``);
WebCite IDs encode the capture time in base 62; archive.today short IDs and perma.cc links name neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

# Hosts whose pages are captures of other pages (archive.org itself also serves library items).
_WAYBACK_HOSTS = frozenset(
    "web.archive.org wayback.archive.org webarchive.org.uk webarchive.nationalarchives.gov.uk arquivo.pt "
    "webarchive.loc.gov wayback.archive-it.org webarchive.nla.gov.au webarchive.parliament.uk "
    "swap.stanford.edu wayback.vefsafn.is webarchive.bac-lac.gc.ca".split()
)
_ARCHIVE_TODAY_HOSTS = frozenset(
    "archive.today archive.ph archive.is archive.li archive.vn archive.fo archive.md".split()
)
_OPAQUE_HOSTS = frozenset("perma.cc perma-archives.org ghostarchive.org webcitation.org".split())
# A 4–14 digit timestamp (optionally with a replay flag such as ``id_``) followed by the original URL.
_WAYBACK_PATH = re.compile(r"/(\d{4,14})(?:[a-z]{2}_|\*)?/+((?:https?:/+)?[^/]+\.[^/]+.*)$", re.IGNORECASE)
_ARCHIVE_TODAY_PATH = re.compile(r"^/(\d{4})\.(\d{2})\.(\d{2})-(\d{2})(\d{2})(\d{2})/+(.+)$")
_WEBCITE_ID = re.compile(r"^/([0-9A-Za-z]{8,10})/?$")
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# WebCite ran from 1997 to 2019: a decoded time outside these years means the ID was not a timestamp.
_WEBCITE_YEARS = range(1997, 2020)


@dataclass(frozen=True)
class ArchivedCopy:
    """A link to an archived copy: the copy, the page it captured (when the link says) and the capture time."""

    url: str
    original: str | None
    captured_at: datetime | None


def parse_archive_url(url: str) -> ArchivedCopy | None:
    """Return what an archive link names, or None if ``url`` is not a link to an archived copy."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if host in _WAYBACK_HOSTS or (host == "archive.org" and parts.path.startswith("/web/")):
        capture = _WAYBACK_PATH.search(path)
        if capture:
            return ArchivedCopy(url, _original(capture.group(2)), _timestamp(capture.group(1)))
        return ArchivedCopy(url, None, None) if host != "archive.org" else None
    if host in _ARCHIVE_TODAY_HOSTS:
        long_form = _ARCHIVE_TODAY_PATH.match(path)
        if long_form:
            return ArchivedCopy(url, _original(long_form.group(7)), _timestamp("".join(long_form.groups()[:6])))
        return ArchivedCopy(url, None, None)
    if host in _OPAQUE_HOSTS:
        webcite = _WEBCITE_ID.match(parts.path) if host == "webcitation.org" else None
        return ArchivedCopy(url, None, _webcite_time(webcite.group(1)) if webcite else None)
    return None


def _original(captured: str) -> str:
    """Return the captured URL as an absolute http(s) URL (archives collapse ``//`` and may drop the scheme)."""
    if captured.lower().startswith(("http%3a", "https%3a")):
        captured = unquote(captured)
    captured = re.sub(r"^(https?):/+", r"\1://", captured, flags=re.IGNORECASE)
    return captured if re.match(r"^https?://", captured, re.IGNORECASE) else f"http://{captured}"


def _timestamp(digits: str) -> datetime | None:
    """Return a capture time from ``YYYYMMDD[hhmmss]``; a year or month alone is a request, not a capture."""
    if len(digits) < 8:
        return None
    padded = digits[:14].ljust(14, "0")
    try:
        return datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _webcite_time(identifier: str) -> datetime | None:
    """Decode a WebCite ID: base 62 of the capture time in microseconds since the epoch."""
    value = 0
    for character in identifier:
        value = value * 62 + _BASE62.index(character)
    captured = datetime.fromtimestamp(value // 1_000_000, tz=UTC)
    return captured if captured.year in _WEBCITE_YEARS else None
