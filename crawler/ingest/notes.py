"""Footnote markers resolved through the page's own anchors: ``[3]`` → ``#cite_note-3`` → its entry → its list.

A marker is a short label (``1``, ``[3]``, ``a``, ``note 1``) in a superscript, in brackets or with a footnote
name, whose link (``href="#fn:1"``, ``./Page#cite_note-3``, or ``aria-describedby`` for inline notes) leads
forward to an element of the same page. That element's list item, or the block around it, is the entry;
entries of one ``<ol>``/``<ul>``, or with the same tag and class (Substack's ``div.footnote``), form a list
(numbered by ``crawler.ingest.notelists``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import unquote

import lxml.html

from crawler.ingest.headings import is_heading, visible_text
from crawler.ingest.notelists import NoteList, ResolvedNotes, number_lists

_LABEL = re.compile(
    r"^[\[(]?\s*(?P<label>(?:[A-Za-z][\w.-]{0,15}\s+)?(?:\d{1,3}|[A-Za-z]{1,2}|[ivxlcdm]{1,5}|[*†‡§¶]{1,3}))"
    r"\s*[\])]?$"
)
_NOTE_NAME = re.compile(r"ref|cite|fn|note|foot|end|source|bib", re.IGNORECASE)
_NOTE_ROLES = frozenset({"doc-noteref", "doc-biblioref"})
# An anchor target with no more text than a label ("1", "[2]") is a label; its entry is the block around it.
_LABEL_LENGTH = 6


def resolve_notes(
    root: lxml.html.HtmlElement,
    ids: Mapping[str, lxml.html.HtmlElement],
    order: Mapping[lxml.html.HtmlElement, int],
) -> ResolvedNotes:
    """Find the page's note markers and the lists their anchors lead to (``ids``/``order``: the page's anchors and
    each element's position)."""
    groups: dict[object, NoteList] = {}
    for link in root.iter("a"):
        target = link_target(link, ids)
        label = marker_label(link.text_content())
        if target is None or label is None or order.get(target, -1) <= order[link] or not _is_note_link(link):
            continue
        entry = _entry(target, link)
        if entry is None:
            continue
        group = groups.setdefault(_group_key(entry), _new_group(root, entry))
        if entry not in group.entries:
            group.entries.append(entry)
        group.labels.setdefault(entry, label)
        group.links.append((link, entry))
    ordered = sorted(groups.values(), key=lambda group: min(order.get(entry, 0) for entry in group.entries))
    return number_lists(ordered, order)


def element_ids(root: lxml.html.HtmlElement) -> dict[str, lxml.html.HtmlElement]:
    """Return the page's anchor targets by name: ``id`` attributes and old-style ``<a name>``."""
    ids = {element.get("name"): element for element in root.iter("a") if element.get("name")}
    ids.update((element.get("id"), element) for element in root.iter() if element.get("id"))
    return ids


def link_target(link: lxml.html.HtmlElement, ids: Mapping[str, lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    """Return the element of this page that a link's fragment (or ``aria-describedby``) names, if any."""
    href = link.get("href") or ""
    if "#" in href:
        target = ids.get(unquote(href.split("#", 1)[1]))
        if target is not None:
            return target
    described = (link.get("aria-describedby") or "").split()
    return ids.get(described[0]) if described else None


def marker_label(text: str) -> str | None:
    """Return a marker's label without brackets (``3``, ``a``, ``note 1``), or None if ``text`` is not one."""
    found = _LABEL.match(" ".join(text.split()))
    return found.group("label") if found else None


def _is_note_link(link: lxml.html.HtmlElement) -> bool:
    """Tell a note marker from other short in-page links ("Fig 1"): superscript, brackets or a footnote name."""
    in_sup = link.find(".//sup") is not None or any(a.tag == "sup" for a in list(link.iterancestors())[:2])
    fragment = (link.get("href") or "").partition("#")[2]
    named = _NOTE_NAME.search(" ".join((link.get("class") or "", fragment, link.get("id") or "")))
    return bool(
        in_sup
        or link.text_content().strip().startswith("[")
        or named
        or link.get("role") in _NOTE_ROLES
        or link.get("aria-describedby")
    )


def _entry(target: lxml.html.HtmlElement, link: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """Return the entry a marker leads to: the list item around its target, else the block around the label."""
    item = next((element for element in (target, *target.iterancestors()) if element.tag == "li"), None)
    if item is not None and not _contains(item, link):
        return item
    entry = target
    while len(visible_text(entry)) <= _LABEL_LENGTH and entry.getparent() is not None:
        entry = entry.getparent()
    if entry.tag in ("body", "html") or _contains(entry, link) or is_heading(entry):
        return None
    return entry


def _group_key(entry: lxml.html.HtmlElement) -> object:
    """Return what makes entries one list: their ``<ol>``/``<ul>``, else their tag and class, else their parent."""
    if entry.tag == "li":
        return entry.getparent()
    return (entry.tag, entry.get("class")) if entry.get("class") else entry.getparent()


def _new_group(root: lxml.html.HtmlElement, entry: lxml.html.HtmlElement) -> NoteList:
    """Start a list from its first cited entry, with every entry of the list (cited or not) when they are known."""
    if entry.tag == "li":
        container = entry.getparent()
        return NoteList(list(container.iterchildren("li")), {}, [], container)
    if entry.get("class"):
        same = root.xpath("//*[local-name() = $tag and @class = $cls]", tag=entry.tag, cls=entry.get("class"))
        return NoteList(list(same), {}, [], None)
    return NoteList([], {}, [], None)


def _contains(container: lxml.html.HtmlElement, element: lxml.html.HtmlElement) -> bool:
    """Tell whether ``element`` is ``container`` or inside it."""
    return element is container or container in element.iterancestors()
