"""Render HTML as text blocks, writing citation markers as ``[n]``.

Markers are the links a page's footnote anchors resolve to (``resolve_notes``), or, on a page without such
anchors, ``<sup>`` numbers and links to ``#ref``-style anchors.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

import lxml.html

from crawler.ingest.markers import find_markers

_BLOCK = frozenset(
    "address article blockquote body br dd div dl dt h1 h2 h3 h4 h5 h6 header hr li main ol p pre "
    "section table tbody td th thead tr ul".split()
)
_SKIP = frozenset(
    "aside button figcaption figure footer form head iframe nav noscript script style svg template".split()
)
_REF_ANCHOR = re.compile(r"^#(?:.*(?:ref|cite|fn|note|source|foot|end).*|\d+)$", re.IGNORECASE)
# Wikipedia's {{rp}} page locator after a marker ("[1]: 95") and its "[citation needed]" tags are not text.
_PAGE_LOCATOR = re.compile(r"^:\s*\S.{0,24}$")
_BRACKETED_TAG = re.compile(r"^\[[^\]]*[A-Za-z][^\]]*\]$")


def render_blocks(
    element: lxml.html.HtmlElement,
    markers: Mapping[lxml.html.HtmlElement, int] | None = None,
    skip: Collection[lxml.html.HtmlElement] = frozenset(),
) -> list[str]:
    """Return the non-empty text blocks of ``element``, whitespace collapsed, markers written ``[n]``.

    With ``markers`` (resolved marker links and their numbers) only those links are markers; elements in
    ``skip`` (source lists) are left out, their tails kept.
    """
    blocks: list[str] = []
    pieces: list[str] = []

    def flush() -> None:
        block = " ".join("".join(pieces).split())
        if block:
            blocks.append(block)
        pieces.clear()

    def walk(node: lxml.html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else None
        marker = _marker_for(node, markers) if tag else None
        if marker:
            pieces.append(marker)
        elif (
            tag and tag not in _SKIP and node not in skip and not _is_hidden(node) and not _is_editorial(node, markers)
        ):
            if tag in _BLOCK:
                flush()
            pieces.append(node.text or "")
            for child in node:
                walk(child)
            if tag in _BLOCK:
                flush()
        pieces.append(node.tail or "")

    walk(element)
    flush()
    return blocks


def _marker_for(node: lxml.html.HtmlElement, markers: Mapping[lxml.html.HtmlElement, int] | None) -> str | None:
    """Return ``[n]`` if ``node`` is a marker: a resolved marker link, or without those a ``<sup>``/``#ref`` one."""
    if markers:
        number = markers.get(node)
        return f"[{number}]" if number else None
    return _marker(node)


def _is_hidden(node: lxml.html.HtmlElement) -> bool:
    """Tell whether an element is not shown to readers (``hidden``, ``display:none``, MediaWiki's edit links)."""
    style = (node.get("style") or "").replace(" ", "").lower()
    return node.get("hidden") is not None or "display:none" in style or "mw-editsection" in (node.get("class") or "")


def _is_editorial(node: lxml.html.HtmlElement, markers: Mapping[lxml.html.HtmlElement, int] | None) -> bool:
    """Tell whether a ``<sup>`` is an editor's aside, not text: a page locator (``: 95``) after a marker, or,
    on a page with resolved markers, a bracketed tag such as ``[citation needed]``."""
    if node.tag != "sup":
        return False
    text = " ".join(node.text_content().split())
    if _PAGE_LOCATOR.match(text):
        return True
    return bool(markers) and _BRACKETED_TAG.match(text) is not None and not any(a in markers for a in node.iter("a"))


def _marker(node: lxml.html.HtmlElement) -> str | None:
    """Return ``[n]`` for a ``<sup>`` number or a link to a ``#ref``-style anchor, else None."""
    if node.tag == "a" and not _REF_ANCHOR.match(node.get("href", "")):
        return None
    if node.tag not in ("sup", "a"):
        return None
    content = "".join(node.text_content().split())
    candidate = content if content.startswith("[") else f"[{content}]"
    markers = find_markers(candidate)
    if len(markers) == 1 and markers[0].start == 0 and markers[0].end == len(candidate):
        return candidate
    return None
