"""An HTML article with numbered citations: its text with ``[n]`` markers and its numbered references.

Reference lists are found from the markers first (``resolve_notes``); a page whose markers lead nowhere keeps
the older reading: the ``<ol>`` under the last "Sources"/"References"/"Notes" heading, else numbered lines
under such a heading in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import lxml.html

from crawler.ingest.blocks import render_blocks
from crawler.ingest.entries import parse_entry
from crawler.ingest.notelists import ResolvedNotes
from crawler.ingest.notes import resolve_notes
from crawler.ingest.page import PageContext
from crawler.ingest.references import (
    HEADING,
    ParsedReference,
    find_reference_heading,
    find_viewpoint_labels,
    parse_text_references,
    strip_label,
)

# A marker-rooted container holding fewer paragraphs than this is one paragraph, not the article body.
_MIN_BODY_PARAGRAPHS = 2


@dataclass(frozen=True)
class NumberedText:
    """The article text with markers, where its body ends (before a source list in the text) and its references."""

    text: str
    body_end: int
    references: tuple[ParsedReference, ...]


def numbered_text(root: lxml.html.HtmlElement, page: PageContext) -> NumberedText:
    """Read the article's text and numbered references; the lists are left out of the text claims come from.

    The tree is not changed: lxml frees many elements cut out of a document in quadratic time.
    """
    notes = resolve_notes(root, page.ids, page.order)
    if notes.entries:
        references = [
            parse_entry(entry.element, entry.number, page, label=entry.label, group=entry.group)
            for entry in notes.entries
        ]
        container = _body_of_markers(root, notes)
        text = "\n\n".join(render_blocks(container, notes.markers, skip=frozenset(notes.removals)))
        return _relabelled(text, len(text), references)
    references, listed = _heading_list(root, page)
    text = "\n\n".join(render_blocks(_main_container(root), skip=listed))
    heading = None if references else find_reference_heading(text)
    if heading is not None:
        # No <ol> under the heading: the entries are paragraphs like "[1] Outlet, Title, URL".
        return _relabelled(text, heading, parse_text_references(text[heading:], find_viewpoint_labels(text)))
    return _relabelled(text, len(text), references)


def _heading_list(
    root: lxml.html.HtmlElement, page: PageContext
) -> tuple[list[ParsedReference], frozenset[lxml.html.HtmlElement]]:
    """Parse the ``<ol>`` under the last source-list heading; return its references and the heading and list."""
    headings = [
        element
        for element in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "b", "dt")
        if HEADING.fullmatch(" ".join(element.text_content().split()))
    ]
    for heading in reversed(headings):
        lists = heading.xpath("following::ol[1]")
        if lists:
            return _parse_list(lists[0], page), frozenset((lists[0], heading))
    return [], frozenset()


def _parse_list(ordered: lxml.html.HtmlElement, page: PageContext) -> list[ParsedReference]:
    """Return one reference per ``<li>``, numbered by ``value``/``start`` attributes or position."""
    start = int(ordered.get("start")) if (ordered.get("start") or "").isdigit() else 1
    references = []
    for position, item in enumerate(ordered.iterchildren("li")):
        number = int(item.get("value")) if (item.get("value") or "").isdigit() else start + position
        references.append(parse_entry(item, number, page))
    return references


def _body_of_markers(root: lxml.html.HtmlElement, notes: ResolvedNotes) -> lxml.html.HtmlElement:
    """Return the smallest element holding every marker of the text, or the main container if that is one paragraph."""
    removed = set(notes.removals)
    in_text = [
        link
        for link in notes.markers
        if not any(ancestor in removed for ancestor in link.iterancestors()) and link not in removed
    ]
    base = _main_container(root, in_text[0] if in_text else None)
    if not in_text:
        return base
    common = [in_text[0], *in_text[0].iterancestors()]
    for link in in_text[1:]:
        ancestors = {link, *link.iterancestors()}
        while common[0] not in ancestors:
            common.pop(0)
    inside_base = common[0] is base or base in common[0].iterancestors()
    if inside_base and len(common[0].xpath(".//p")) >= _MIN_BODY_PARAGRAPHS:
        return common[0]
    return base


def _main_container(root: lxml.html.HtmlElement, holding: lxml.html.HtmlElement | None = None) -> lxml.html.HtmlElement:
    """Return the page's ``<article>``/``<main>`` (the first one holding ``holding``, if given), else the root."""
    for container in root.xpath("//article | //main"):
        if holding is None or container in holding.iterancestors():
            return container
    return root


def _relabelled(text: str, body_end: int, references: list[ParsedReference]) -> NumberedText:
    """Strip viewpoint labels (found in the article text) from outlet names."""
    labels = find_viewpoint_labels(text)
    relabelled = tuple(replace(reference, outlet=strip_label(reference.outlet, labels)) for reference in references)
    return NumberedText(text, body_end, relabelled)
