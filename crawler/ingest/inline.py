"""News with inline links and no numbers: each outbound link in the article body becomes a numbered source.

trafilatura finds the article body, leaving out navigation, related-article lists, share bars and
advertising. Inside it, every link to another site is a source, numbered in order of first appearance, and
the sentence that carries it becomes a claim citing it (a ``[n]`` marker is written after the sentence).
A "Sources"/"References" heading ends the body.
Links to the article's own site, and share links that carry the article's own address, are not sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import lxml.etree
from courlan import is_external
from trafilatura import bare_extraction

from crawler.ingest.links import Link, choose_link
from crawler.ingest.references import HEADING, ParsedReference, reference_from
from crawler.sentences import split_sentences
from crawler.urls import canonicalize_url, is_http_url

# trafilatura's output elements that start a new block of text.
_BLOCKS = frozenset("p head item quote cell code".split())
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Anchor:
    """A link inside a block of text: where its text ends in the block, its address and its text."""

    end: int
    url: str
    text: str


@dataclass(frozen=True)
class InlineText:
    """The article body with a ``[n]`` marker after each sentence that links out, and the numbered sources."""

    text: str
    references: tuple[ParsedReference, ...]


def inline_link_text(html: str, page_url: str | None) -> InlineText | None:
    """Return the article body with its outbound links as numbered sources, or None if it has none."""
    extracted = bare_extraction(html, url=page_url, include_links=True, include_comments=False, include_tables=True)
    if extracted is None or extracted.body is None:
        return None
    numbers: dict[str, int] = {}
    sources: list[Link] = []
    blocks = []
    for block_text, anchors in _blocks(extracted.body):
        if HEADING.fullmatch(block_text):
            # A source list after the story is not more story: its entries are not claims.
            break
        outbound = [anchor for anchor in anchors if _is_source(anchor.url, page_url)]
        for anchor in outbound:
            key = _key(anchor.url)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                sources.append(Link(anchor.url, anchor.text))
        blocks.append(_with_markers(block_text, outbound, numbers))
    if not sources:
        return None
    references = tuple(_reference(number, link) for number, link in enumerate(sources, start=1))
    return InlineText("\n\n".join(block for block in blocks if block), references)


def _blocks(body: lxml.etree._Element) -> list[tuple[str, list[_Anchor]]]:
    """Return each block of trafilatura's output as text (whitespace collapsed) and the links inside it."""
    blocks: list[tuple[str, list[_Anchor]]] = []
    pieces: list[str] = []
    anchors: list[_Anchor] = []

    def flush() -> None:
        text = "".join(pieces)
        stripped = text.lstrip()
        shift = len(text) - len(stripped)
        if stripped.strip():
            blocks.append((stripped.rstrip(), [_Anchor(a.end - shift, a.url, a.text) for a in anchors]))
        pieces.clear()
        anchors.clear()

    def walk(node: lxml.etree._Element) -> None:
        if node.tag in _BLOCKS:
            flush()
        pieces.append(_spaced(node.text))
        for child in node:
            walk(child)
        if node.tag == "ref" and node.get("target"):
            link_text = " ".join("".join(node.itertext()).split())
            anchors.append(_Anchor(len("".join(pieces)), node.get("target"), link_text))
        if node.tag in _BLOCKS:
            flush()
        pieces.append(_spaced(node.tail))

    walk(body)
    flush()
    return blocks


def _with_markers(text: str, anchors: list[_Anchor], numbers: dict[str, int]) -> str:
    """Return a block with ``[n]`` after each sentence for the sources its links name."""
    pieces = []
    position = 0
    for sentence in split_sentences(text):
        cited = sorted({numbers[_key(anchor.url)] for anchor in anchors if sentence.start < anchor.end <= sentence.end})
        pieces.append(text[position : sentence.end] + "".join(f"[{number}]" for number in cited))
        position = sentence.end
    pieces.append(text[position:])
    return "".join(pieces)


def _is_source(url: str, page_url: str | None) -> bool:
    """Tell whether a link in the body leads to another site (not the article's own, not a share link)."""
    if not is_http_url(url):
        return False
    if page_url is None:
        return True
    if not is_external(url, page_url):
        return False
    # Share links ("tweet this", "share on Facebook") carry the article's own address in their query.
    query = unquote(urlsplit(url).query)
    own = urlsplit(page_url)
    return not (own.netloc and f"{own.netloc}{own.path}".rstrip("/") in query)


def _reference(number: int, link: Link) -> ParsedReference:
    """Return the source one outbound link names: its site as outlet, its link text as title."""
    cited = choose_link([link], link.text)
    outlet = (urlsplit(cited.url or link.url).hostname or "").removeprefix("www.")
    return reference_from(number, outlet, link.text, f"{link.text} <{link.url}>", cited)


def _key(url: str) -> str:
    """Return the spelling under which two links to the same page count as one source."""
    try:
        return canonicalize_url(url)
    except ValueError:
        return url


def _spaced(text: str | None) -> str:
    """Return element text with each run of whitespace as one space."""
    return _WHITESPACE.sub(" ", text) if text else ""
