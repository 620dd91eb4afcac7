"""The numbered source list under a "Sources"/"References"/"Notes" heading, and its entries' fields."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from crawler.ingest.citedates import accessed_date
from crawler.ingest.identifiers import without_identifiers
from crawler.ingest.links import CitedLink, Link, choose_link

HEADING = re.compile(
    r"^[ \t]*(?:sources|references|notes|endnotes|footnotes|bibliography|works cited|citations)[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_ENTRY = re.compile(r"^([ \t]*)(?:\[(\d{1,3})\]|(\d{1,3})[.)])[ \t]*(?:\[\d{1,3}\][ \t]*)?(.*)$")
_URL = re.compile(r"https?://[^\s<>\"']+")
_ENTRY_LABEL = re.compile(r"^\s*(?:\[\d{1,3}\]|\d{1,3}[.)])\s*(?=\D)")
_READ_ON = re.compile(r"^(?:read|view|continue reading|see) (?:on|at) (.+?)\.?$", re.IGNORECASE)
_QUOTED_TITLE = re.compile(r"[\"“](.+?)[\"”]")
_SEPARATOR = re.compile(r"\.\s+|\s+[—–-]\s+|:\s+|,\s+")
_BREAKDOWN_LINE = re.compile(r"(?:[^%]*?\D\s*\d{1,3}\s*%)+\s*")
_BREAKDOWN_LABEL = re.compile(r"([^%\d][^%]*?)\s*\d{1,3}\s*%")
_HEADING_LOOKAHEAD = 15
_HEADING_WINDOW = 8_000


@dataclass(frozen=True)
class ParsedReference:
    """One numbered entry of an article's source list.

    ``label`` is the marker as the page shows it when that is not the number (``a``, ``note 1``); ``group`` names
    the list the entry is in (``Notes``, ``References``) when the page has a heading for it. ``archive_url`` is an
    archived copy the entry names, captured at ``archive_captured_at``; ``accessed_at`` is when the citing author
    retrieved the page and ``published_at`` when the cited work appeared. ``doi``, ``pmid``, ``pmcid``, ``arxiv``
    and ``isbn`` are the identifiers it gives.
    """

    number: int
    outlet: str
    title: str
    url: str | None
    raw_text: str
    label: str | None = None
    group: str | None = None
    archive_url: str | None = None
    archive_captured_at: datetime | None = None
    accessed_at: datetime | None = None
    published_at: datetime | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    arxiv: str | None = None
    isbn: str | None = None

    def as_dict(self) -> dict[str, object]:
        """Return every field, datetimes as ISO 8601 strings."""
        return {
            name: value.isoformat() if isinstance(value, datetime) else value for name, value in self.__dict__.items()
        }


def reference_from(
    number: int,
    outlet: str,
    title: str,
    raw_text: str,
    cited: CitedLink,
    *,
    label: str | None = None,
    group: str | None = None,
    published_at: datetime | None = None,
) -> ParsedReference:
    """Build a reference from its fields and the link chosen for it (URL, archived copy, identifiers)."""
    ids = cited.identifiers
    return ParsedReference(
        number=number,
        outlet=outlet,
        title=without_identifiers(title),
        url=cited.url,
        raw_text=raw_text,
        label=label,
        group=group,
        archive_url=cited.archive_url,
        archive_captured_at=cited.archive_captured_at,
        accessed_at=accessed_date(raw_text),
        published_at=published_at,
        doi=ids.doi,
        pmid=ids.pmid,
        pmcid=ids.pmcid,
        arxiv=ids.arxiv,
        isbn=ids.isbn,
    )


def strip_entry_label(text: str) -> str:
    """Remove a list label the page wrote into an entry ("1.", "[2]") from the start of its text."""
    return _ENTRY_LABEL.sub("", text)


def find_viewpoint_labels(text: str) -> frozenset[str]:
    """Return the labels of percentage breakdowns such as ``Open Science 40%Pragmatists 35%`` (two labels or more)."""
    labels = set()
    for line in text.splitlines():
        if line.count("%") >= 2 and _BREAKDOWN_LINE.fullmatch(line):
            labels.update(label.strip() for label in _BREAKDOWN_LABEL.findall(line))
    return frozenset(label for label in labels if label)


def find_reference_heading(text: str) -> int | None:
    """Return the offset of the last source-list heading that a numbered entry follows, if any."""
    found = None
    for heading in HEADING.finditer(text):
        window = text[heading.end() : heading.end() + _HEADING_WINDOW]
        following = [line for line in window.splitlines() if line.strip()][:_HEADING_LOOKAHEAD]
        if any(_ENTRY.match(line) for line in following):
            found = heading.start()
    return found


def parse_text_references(text: str, labels: Iterable[str] = ()) -> list[ParsedReference]:
    """Return the entries of the numbered list starting in ``text`` (lines ``1.``, ``[1]`` or ``1)``)."""
    references = []
    for number, lines in _group_entries(text.splitlines()):
        raw_text = "\n".join(line.strip() for line in lines if line.strip())
        links = [Link(_clean_url(url)) for url in _URL.findall(raw_text)]
        outlet, title = entry_fields(raw_text.splitlines(), labels)
        references.append(reference_from(number, outlet, title, raw_text, choose_link(links, raw_text)))
    return references


def _group_entries(lines: Sequence[str]) -> list[tuple[int, list[str]]]:
    """Group lines into numbered entries; a line indented less than its entry's number ends the list."""
    entries: list[tuple[int, list[str]]] = []
    indent = 0
    for line in lines:
        entry = _ENTRY.match(line)
        if entry:
            indent = len(entry.group(1).expandtabs())
            entries.append((int(entry.group(2) or entry.group(3)), [entry.group(4)]))
        elif entries and line.strip():
            if len(line) - len(line.lstrip()) < indent:
                break
            entries[-1][1].append(line)
    return entries


def entry_fields(lines: Sequence[str], labels: Iterable[str] = (), link_text: str | None = None) -> tuple[str, str]:
    """Return ``(outlet, title)`` of one entry given its text lines (number prefix removed)."""
    outlet_hint = None
    content = []
    for line in (line.strip() for line in lines):
        read_on = _READ_ON.match(line)
        if read_on:
            outlet_hint = read_on.group(1).strip()
        elif line and not _URL.fullmatch(line):
            content.append(_URL.sub("", line).strip())
    if len(content) >= 2:
        head, title = content[0], content[1]
        if outlet_hint and head.startswith(outlet_hint):
            return outlet_hint, title
        return strip_label(head, labels), title
    outlet, title = _split_single(content[0] if content else "", link_text)
    return outlet_hint or strip_label(outlet, labels), title


def _split_single(line: str, link_text: str | None) -> tuple[str, str]:
    """Split a one-line entry such as ``Outlet, "Title", 2024`` into outlet and title."""
    quoted = _QUOTED_TITLE.search(line)
    if quoted:
        title, before, after = quoted.group(1), line[: quoted.start()], line[quoted.end() :]
    elif link_text and not _URL.match(link_text) and link_text in line:
        title, before, after = link_text, *line.split(link_text, 1)
    else:
        parts = _SEPARATOR.split(line, maxsplit=1)
        return parts[0].strip(" .,;:"), (parts[1].strip(" .,;:") if len(parts) > 1 else "")
    outlet = before.strip(" .,;:–—-")
    if not outlet:
        outlet = _SEPARATOR.split(after.strip(" .,;:–—-"), maxsplit=1)[0].strip(" .,;:")
    return outlet, title.strip(" ,;:")


def strip_label(outlet: str, labels: Iterable[str]) -> str:
    """Remove a viewpoint label glued to the end of an outlet name by the copy."""
    for label in sorted(labels, key=len, reverse=True):
        if outlet == label:
            return outlet
        if outlet.endswith(label):
            return outlet[: -len(label)].rstrip(" -–—|·,")
    return outlet


def _clean_url(url: str) -> str:
    """Drop punctuation that ends a sentence rather than the URL."""
    return url.rstrip(".,;:)]}")
