"""Choose the link a reference cites, the way a reader would.

The entry's title link comes first. When that link is an archived copy (Wikipedia's "Archived from the
original" for a dead link), the original is the cited URL and the copy is kept with its capture time; when
the title link is the original, a separate "Archived" link is the copy. Links whose text is just an identifier
(``10.1038/…``, ``37103261``) are identifiers; an entry with no direct link cites its DOI, PMCID, PMID or arXiv
page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from crawler.ingest.archives import ArchivedCopy, parse_archive_url
from crawler.ingest.citedates import archived_date
from crawler.ingest.identifiers import Identifiers, identifiers_in_text, identifiers_in_url, is_identifier_link

_ARCHIVE_WORDS = re.compile(r"^(?:archived?(?: copy)?|archive(?:d)? (?:link|version)|wayback machine)$", re.IGNORECASE)
_SEARCH = re.compile(r"^https?://(?:scholar\.google\.[a-z.]+/|(?:www\.)?google\.[a-z.]+/search\b)", re.IGNORECASE)
_ORIGINAL_WORDS = re.compile(r"^(?:the )?original(?: url| link)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """One absolute http(s) link of a reference and its text (empty for a bare URL)."""

    url: str
    text: str = ""


@dataclass(frozen=True)
class CitedLink:
    """The URL a reference cites, the archived copy it names, its identifiers and the title link's text."""

    url: str | None
    archive_url: str | None = None
    archive_captured_at: datetime | None = None
    identifiers: Identifiers = field(default_factory=Identifiers)
    link_text: str | None = None


def choose_link(links: Sequence[Link], text: str, title: str | None = None) -> CitedLink:
    """Return the cited link among ``links`` (in reading order) of a reference whose text is ``text``.

    ``title``, when the reference's title is known, picks the link that carries it over earlier links
    (an author's page); otherwise the first link before any identifier is the title link. Search links
    (Google Scholar) are never the cited work.
    """
    links = [link for link in links if not _SEARCH.match(link.url)]
    identifiers = identifiers_in_text(text)
    for link in links:
        identifiers = identifiers.merged(identifiers_in_url(link.url))
    copies = {link.url: parse_archive_url(link.url) for link in links}
    title_link = _title_link(links, identifiers, title)
    archive: ArchivedCopy | None
    if title_link is not None and copies[title_link.url]:
        archive = copies[title_link.url]
        named = next((link.url for link in links if _ORIGINAL_WORDS.match(link.text.strip())), None)
        original = named or archive.original
    else:
        archive = next((copy for copy in copies.values() if copy), None)
        original = title_link.url if title_link else _original_link(links, copies)
    if original and (direct := identifiers_in_url(original)).doi:
        original = direct.resolver_url()
    url = (
        original
        or identifiers.resolver_url()
        or (archive.original or archive.url if archive else None)
        or (links[0].url if links else None)
    )
    return CitedLink(
        url=url,
        archive_url=archive.url if archive else None,
        archive_captured_at=(archive.captured_at or archived_date(text)) if archive else None,
        identifiers=identifiers,
        link_text=title_link.text if title_link else None,
    )


def _title_link(links: Sequence[Link], identifiers: Identifiers, title: str | None) -> Link | None:
    """Return the link to the cited work itself: the one carrying the title, else the first before any identifier."""
    candidates = []
    for link in links:
        words = link.text.strip()
        if is_identifier_link(link.url, words, identifiers):
            break
        if not _ARCHIVE_WORDS.match(words) and not _ORIGINAL_WORDS.match(words):
            candidates.append(link)
    if title:
        folded = _folded(title)
        titled = next((link for link in candidates if folded and folded in _folded(link.text)), None)
        if titled is not None:
            return titled
    return candidates[0] if candidates else None


def _folded(text: str) -> str:
    """Return text lowercased with only letters and digits, for comparing a link's text with a title."""
    return "".join(character for character in text.casefold() if character.isalnum())


def _original_link(links: Sequence[Link], copies: dict[str, ArchivedCopy | None]) -> str | None:
    """Return a link named "the original" when the entry has no title link."""
    return next((link.url for link in links if _ORIGINAL_WORDS.match(link.text.strip()) and not copies[link.url]), None)
