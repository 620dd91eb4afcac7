"""Recall pass: re-add the paragraphs of an article body split over several same-class containers."""

from __future__ import annotations

import re
from collections import defaultdict

from lxml.html import HtmlElement

MIN_PARAGRAPH_CHARS = 40  # letters and digits; shorter blocks (bylines, "Advertisement") hold no claim to recover
MAX_LINK_SHARE = 0.5  # a paragraph mostly made of link text is navigation, not prose
KEPT_SHARE = 0.8  # a container counts as the one trafilatura read when this share of its paragraphs is kept
MIN_KEPT_PARAGRAPHS = 3
MAIN_SHARE = 0.5  # ... and when those paragraphs make at least this share of the extracted text
MIN_CHUNK_PARAGRAPHS = 2  # a sibling with fewer prose paragraphs is a teaser card or an author bio, not a chunk
CHUNK_LENGTH_SHARE = 0.5  # teaser blurbs are one short sentence; body paragraphs are about as long as the read ones
# Paragraphs inside these are asides, captions, menus or teaser cards (a paragraph inside a link), not prose.
_OUTSIDE_PROSE = ("a", "aside", "figure", "nav", "footer", "header", "form")
_NON_WORD = re.compile(r"\W+")


def recover_split_body(tree: HtmlElement, text: str) -> str:
    """Return ``text`` with the paragraphs of sibling body containers it lacks, inserted in document order.

    CMSs cut long articles into chunks (``div.article__body`` repeated between ad rails); trafilatura reads the
    first chunk only. Containers that share the tag and class of a chunk trafilatura kept are read as well.
    """
    groups = _same_class_containers(tree)
    if not groups:
        return text
    kept = _key(text)
    # Keyed lazily: only paragraphs inside a group can be recovered, and keying every paragraph is the cost.
    prose: dict[HtmlElement, str | None] = {}
    missing: set[HtmlElement] = set()
    for members in groups:
        chunks = {member: [key for p in member.iter("p") if (key := _prose_key(p, prose))] for member in members}
        read = next((member for member, keys in chunks.items() if _was_read(keys, kept)), None)
        if read is None:
            continue
        for member, keys in chunks.items():
            if _is_chunk_like(keys, chunks[read], kept) and not _nested(member, read):
                missing.update(p for p in member.iter("p") if prose[p])
    if not missing:
        return text
    return _insert_in_order(tree, text, missing)


def _same_class_containers(tree: HtmlElement) -> list[list[HtmlElement]]:
    groups: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
    for element in tree.iter("div", "section"):
        if element.get("class", "").strip():
            groups[element.tag, element.get("class").strip()].append(element)
    return [members for members in groups.values() if len(members) > 1]


def _was_read(keys: list[str], kept: str) -> bool:
    """True when trafilatura's text is mostly this chunk: most of its paragraphs, making most of the text."""
    found = [key for key in keys if key in kept]
    return (
        len(found) >= MIN_KEPT_PARAGRAPHS
        and len(found) >= KEPT_SHARE * len(keys)
        and sum(map(len, found)) >= MAIN_SHARE * len(kept)
    )


def _is_chunk_like(keys: list[str], read: list[str], kept: str) -> bool:
    """True for several paragraphs, none kept, about as long as the read chunk's (teaser blurbs are shorter)."""
    if len(keys) < MIN_CHUNK_PARAGRAPHS or any(key in kept for key in keys):
        return False
    return sum(map(len, keys)) / len(keys) >= CHUNK_LENGTH_SHARE * sum(map(len, read)) / len(read)


def _nested(element: HtmlElement, other: HtmlElement) -> bool:
    return element is other or element in other.iterancestors() or other in element.iterancestors()


def _prose_key(paragraph: HtmlElement, cache: dict[HtmlElement, str | None]) -> str | None:
    """Return the paragraph's key if it is prose (None if not), computed once per paragraph."""
    if paragraph not in cache:
        key = _key(paragraph.text_content())
        cache[paragraph] = key if _is_prose(paragraph, key) else None
    return cache[paragraph]


def _is_prose(paragraph: HtmlElement, key: str) -> bool:
    if len(key) < MIN_PARAGRAPH_CHARS or any(a.tag in _OUTSIDE_PROSE for a in paragraph.iterancestors()):
        return False
    link_chars = sum(len(_key(link.text_content())) for link in paragraph.iter("a"))
    return link_chars <= MAX_LINK_SHARE * len(key)


def _insert_in_order(tree: HtmlElement, text: str, missing: set[HtmlElement]) -> str:
    """Place each missing paragraph after the line holding the closest kept paragraph before it."""
    lines = text.split("\n")
    line_keys = [_key(line) for line in lines]
    after: dict[int, list[str]] = defaultdict(list)
    line = -1
    for paragraph in tree.iter("p"):
        key = _key(paragraph.text_content())
        if paragraph in missing:
            after[line].append(" ".join(paragraph.text_content().split()))
        elif key:
            line = next((n for n in range(max(line, 0), len(lines)) if key in line_keys[n]), line)
    merged = list(after[-1])
    for number, original in enumerate(lines):
        merged.append(original)
        merged.extend(after[number])
    return "\n".join(merged)


def _key(text: str) -> str:
    """Return the letters and digits of ``text`` in lower case: trafilatura re-spaces text around inline tags."""
    return _NON_WORD.sub("", text).casefold()
