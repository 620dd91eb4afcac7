"""Render HTML as text blocks, writing ``<sup>`` numbers and links to ``#ref``-style anchors as ``[n]`` markers."""

from __future__ import annotations

import re

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


def render_blocks(element: lxml.html.HtmlElement) -> list[str]:
    """Return the non-empty text blocks of ``element``, whitespace collapsed, markers written ``[n]``."""
    blocks: list[str] = []
    pieces: list[str] = []

    def flush() -> None:
        block = " ".join("".join(pieces).split())
        if block:
            blocks.append(block)
        pieces.clear()

    def walk(node: lxml.html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else None
        marker = _marker(node) if tag else None
        if marker:
            pieces.append(marker)
        elif tag and tag not in _SKIP:
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
