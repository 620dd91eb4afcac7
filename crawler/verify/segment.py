"""Source text as sentences (the shared splitter, long ones cut) and passages: windows of 1–3 adjacent sentences."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from crawler import sentences

MAX_WINDOW = 3
# Longer "sentences" (tables, lists, run-on PDF text) are cut at whitespace so a passage stays readable.
MAX_SENTENCE_CHARS = 400


class Span(NamedTuple):
    """A region ``[start, end)`` of the source text; for a passage, sentences ``first..last`` inclusive."""

    start: int
    end: int
    first: int
    last: int


def split_sentences(text: str) -> list[Span]:
    """Return the sentences of ``text`` in order, trimmed, each at most ``MAX_SENTENCE_CHARS`` long."""
    spans: list[Span] = []
    for sentence in sentences.split_sentences(text):
        for start, end in _pieces(text, sentence.start, sentence.end):
            index = len(spans)
            spans.append(Span(start, end, index, index))
    return spans


def passages(sentences: list[Span], max_window: int = MAX_WINDOW) -> list[Span]:
    """Return every window of 1 to ``max_window`` adjacent sentences."""
    windows = []
    for first in range(len(sentences)):
        for last in range(first, min(first + max_window, len(sentences))):
            windows.append(Span(sentences[first].start, sentences[last].end, first, last))
    return windows


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield ``[start, end)`` cut at whitespace into chunks of at most ``MAX_SENTENCE_CHARS``."""
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end
