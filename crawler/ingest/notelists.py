"""The lists a page's note markers lead to: one number per entry across lists, their names, what to remove.

Several lists stay apart: the one most markers cite (with numeric labels) keeps its own numbers, the others
are numbered after it and keep the label the page shows (``a``, ``note 1``). A list leaves the article text
with the wrappers that hold nothing else and the "Notes"/"References" heading right before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import lxml.html

from crawler.ingest.headings import HEADING_TAGS, SOURCE_LIST_NAME, heading_text, visible_text

# A short label line ("Notes", "Sources:") before a list is its heading even when it is not an <h2>.
_HEADING_LENGTH = 40


@dataclass(frozen=True)
class NoteEntry:
    """One entry of a resolved list: its element, its number, the label the page shows and the list's name."""

    element: lxml.html.HtmlElement
    number: int
    label: str | None
    group: str | None


@dataclass(frozen=True)
class ResolvedNotes:
    """Marker links mapped to entry numbers, the entries, and the elements to leave out of the article text."""

    markers: dict[lxml.html.HtmlElement, int]
    entries: tuple[NoteEntry, ...]
    removals: tuple[lxml.html.HtmlElement, ...]


@dataclass
class NoteList:
    """Entries that form one list, the label each one's markers show, the marker links and the list element."""

    entries: list[lxml.html.HtmlElement]
    labels: dict[lxml.html.HtmlElement, str]
    links: list[tuple[lxml.html.HtmlElement, lxml.html.HtmlElement]]
    container: lxml.html.HtmlElement | None


def number_lists(groups: list[NoteList], order: Mapping[lxml.html.HtmlElement, int]) -> ResolvedNotes:
    """Number every list (in page order): the most cited numeric list keeps its numbers, the others follow it."""
    if not groups:
        return ResolvedNotes({}, (), ())
    for group in groups:
        group.entries.sort(key=lambda element: order.get(element, 0))
    primary = max(
        groups,
        key=lambda group: (all(label.isdigit() for label in group.labels.values()), len(group.links)),
    )
    numbers = {entry: number for entry, number in _list_numbers(primary)}
    following = max(numbers.values(), default=0) + 1
    for group in groups:
        if group is not primary:
            for entry in group.entries:
                numbers[entry] = following
                following += 1
    entries = []
    for group in groups:
        name = _list_name(group)
        for entry in group.entries:
            label = group.labels.get(entry)
            shown = label if label and label != str(numbers[entry]) else None
            entries.append(NoteEntry(entry, numbers[entry], shown, name))
    markers = {link: numbers[entry] for group in groups for link, entry in group.links}
    removals = tuple(element for group in groups for element in _removals(group))
    return ResolvedNotes(markers, tuple(sorted(entries, key=lambda entry: entry.number)), removals)


def _list_numbers(group: NoteList) -> list[tuple[lxml.html.HtmlElement, int]]:
    """Return each entry's number: ``<ol start>`` and ``<li value>`` as the page numbers them, else positions."""
    start = group.container.get("start") if group.container is not None else None
    number = int(start) if start and start.isdigit() else 1
    numbered = []
    for entry in group.entries:
        value = entry.get("value") if entry.tag == "li" else None
        number = int(value) if value and value.isdigit() else number
        numbered.append((entry, number))
        number += 1
    return numbered


def _list_name(group: NoteList) -> str | None:
    """Return the heading of the list ("Notes", "References") when one precedes it."""
    first = group.container if group.container is not None else group.entries[0]
    headings = first.xpath("preceding::*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6][1]")
    heading = headings[0] if headings else None
    name = heading_text(heading) if heading is not None else ""
    return name if SOURCE_LIST_NAME.match(name) else None


def _removals(group: NoteList) -> list[lxml.html.HtmlElement]:
    """Return what to leave out of the text: the list with its empty wrappers and heading, or each inline note."""
    if group.container is not None:
        return _with_wrappers_and_heading(group.container)
    return list(group.entries)


def _with_wrappers_and_heading(container: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Return the list, widened to wrappers that hold nothing else, plus the source-list heading right before it."""
    outer = container
    own_text = visible_text(container)
    while (parent := outer.getparent()) is not None and parent.tag not in ("body", "html", "article", "main"):
        if visible_text(parent) != own_text:
            break
        outer = parent
    previous = outer.getprevious()
    while previous is not None and not visible_text(previous):
        previous = previous.getprevious()
    if previous is not None and _is_heading_block(previous) and SOURCE_LIST_NAME.match(heading_text(previous)):
        return [outer, previous]
    return [outer]


def _is_heading_block(element: lxml.html.HtmlElement) -> bool:
    """Tell whether an element is a heading, wraps one (MediaWiki's ``div.mw-heading``) or is a short label line."""
    if element.tag in HEADING_TAGS or any(child.tag in HEADING_TAGS for child in element.iter()):
        return True
    return element.tag in ("p", "div", "dt") and len(visible_text(element)) <= _HEADING_LENGTH
