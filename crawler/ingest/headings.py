"""Headings of HTML source lists ("Notes", "References", "Works cited") and the visible text of elements."""

from __future__ import annotations

import re

import lxml.html

HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
SOURCE_LIST_NAME = re.compile(
    r"^(?:[\w-]+\s+){0,3}?(?:notes?|references?|sources?|citations?|footnotes?|endnotes?|bibliography|cited)"
    r"(?:\s+[\w-]+){0,3}$",
    re.IGNORECASE,
)
_INVISIBLE = frozenset("script style template noscript".split())
_EDIT_LINK = re.compile(r"\s*\[\s*edit\s*\]\s*$", re.IGNORECASE)


def is_heading(element: lxml.html.HtmlElement) -> bool:
    """Tell whether an element is a heading or sits inside one."""
    return element.tag in HEADING_TAGS or any(ancestor.tag in HEADING_TAGS for ancestor in element.iterancestors())


def heading_text(element: lxml.html.HtmlElement) -> str:
    """Return a heading's visible text without MediaWiki's "[edit]" link."""
    return _EDIT_LINK.sub("", visible_text(element))


def visible_text(element: lxml.html.HtmlElement) -> str:
    """Return an element's text, whitespace collapsed, without the contents of ``<style>``/``<script>``."""
    pieces: list[str] = []

    def walk(node: lxml.html.HtmlElement) -> None:
        if not isinstance(node.tag, str) or node.tag in _INVISIBLE:
            return
        pieces.append(node.text or "")
        for child in node:
            walk(child)
            pieces.append(child.tail or "")

    walk(element)
    return " ".join("".join(pieces).split())
