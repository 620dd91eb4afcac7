"""Split source text into sentences and passages (windows of 1–3 adjacent sentences) with offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

MAX_WINDOW = 3
# Longer "sentences" (tables, lists, run-on PDF text) are cut at whitespace so a passage stays readable.
MAX_SENTENCE_CHARS = 400

# An end mark, closing quotes or brackets, then whitespace and the next character (captured) within 40 characters.
_TERMINAL = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s{1,39}(\S))")
_NEWLINE = re.compile(r"\n")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr vs etc e.g i.e inc ltd co corp no nos fig figs vol pp al gen col lt sgt rev"
    " jan feb mar apr jun jul aug sep sept oct nov dec approx dept est u.s u.k u.n a.m p.m".split()
)
_WORD_BEFORE = re.compile(r"([\w.]+)\.+$")
_HAS_WORD = re.compile(r"\w")


class Span(NamedTuple):
    """A region ``[start, end)`` of the source text; for a passage, sentences ``first..last`` inclusive."""

    start: int
    end: int
    first: int
    last: int


def split_sentences(text: str) -> list[Span]:
    """Return the sentences of ``text`` in order, trimmed of surrounding whitespace."""
    cuts = sorted({0, len(text), *_boundaries(text)})
    sentences: list[Span] = []
    for start, end in zip(cuts, cuts[1:]):
        for piece_start, piece_end in _pieces(text, start, end):
            index = len(sentences)
            sentences.append(Span(piece_start, piece_end, index, index))
    return sentences


def passages(sentences: list[Span], max_window: int = MAX_WINDOW) -> list[Span]:
    """Return every window of 1 to ``max_window`` adjacent sentences."""
    windows = []
    for first in range(len(sentences)):
        for last in range(first, min(first + max_window, len(sentences))):
            windows.append(Span(sentences[first].start, sentences[last].end, first, last))
    return windows


def _boundaries(text: str) -> Iterator[int]:
    for match in _TERMINAL.finditer(text):
        if not match.group(1).islower() and not _is_abbreviation(text, match):
            yield match.end()
    for match in _NEWLINE.finditer(text):
        if not _is_wrapped_line(text, match.start()):
            yield match.start()


def _is_abbreviation(text: str, match: re.Match[str]) -> bool:
    if not match.group().startswith(".") or match.group().startswith(".."):
        return False
    word = _WORD_BEFORE.search(text, max(0, match.start() - 12), match.start() + 1)
    if word is None:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _is_wrapped_line(text: str, newline: int) -> bool:
    """A newline inside a sentence: the line before has no end mark and the next one continues in lowercase."""
    before = text[max(0, newline - 200) : newline].rstrip()
    after = text[newline + 1 : newline + 200].lstrip(" \t")
    if not before or not after or after.startswith("\n"):
        return False
    return before[-1] not in '.!?…:;"”' and after[0].islower()


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield the trimmed sentence in ``[start, end)``, cut at whitespace into chunks of bounded length."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        if _HAS_WORD.search(text, start, cut):
            yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start and _HAS_WORD.search(text, start, end):
        yield start, end
