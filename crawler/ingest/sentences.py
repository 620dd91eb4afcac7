"""Split article text into sentences with character offsets.

How a sentence ends:

* A blank line (paragraph break) always ends a sentence.
* A single line break ends one unless the next line starts with a lowercase letter
  (then the line was hard-wrapped mid-sentence).
* ``.``, ``!``, ``?`` or ``…``, optionally followed by closing quotes or brackets (``risks."``)
  and then by citation markers (``risks."[4]``, or after one space ``risks. [4]``), ends a
  sentence when whitespace or the end of the text follows. The markers belong to the sentence
  they follow.
* That punctuation does not end a sentence when no whitespace follows (decimals ``3.5``,
  ``example.com``, the inner dots of ``U.S.``), when the next word starts with a lowercase
  letter, or when a period closes an abbreviation (``Dr.``, ``e.g.``, ``U.S.``, an initial
  like ``J.``) — except that a citation marker right after the period always ends the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.ingest.markers import find_markers

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt gen col lt capt sgt rep sen gov rev hon vs cf al approx fig figs "
    "vol vols pp ed eds jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_TERMINAL = re.compile(r"[.!?…]+[\"”’')\]]*")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LINE_BREAK = re.compile(r"\n[ \t]*(\S)")
_NEXT_CHARACTER = re.compile(r"\s*(\S)")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z]")


@dataclass(frozen=True)
class Sentence:
    """A sentence at ``start:end`` of the text it was split from."""

    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of ``text`` in order, with offsets into ``text``."""
    marker_ends = {marker.start: marker.end for marker in find_markers(text)}
    cuts = {match.start() for match in _PARAGRAPH_BREAK.finditer(text)}
    cuts |= {match.start() for match in _LINE_BREAK.finditer(text) if not match.group(1).islower()}
    cuts |= set(_punctuation_cuts(text, marker_ends))
    sentences = []
    start = 0
    for cut in [*sorted(cuts), len(text)]:
        piece = text[start:cut]
        stripped = piece.strip()
        if stripped:
            offset = start + len(piece) - len(piece.lstrip())
            sentences.append(Sentence(offset, offset + len(stripped), stripped))
        start = cut
    return sentences


def _punctuation_cuts(text: str, marker_ends: dict[int, int]) -> list[int]:
    """Return the offsets just after each sentence-ending punctuation (and its markers)."""
    cuts = []
    for match in _TERMINAL.finditer(text):
        end = match.end()
        if text[end : end + 1] in (" ", "\t") and end + 1 in marker_ends:
            end += 1
        cited = end in marker_ends
        while end in marker_ends:
            end = marker_ends[end]
        if end < len(text) and not text[end].isspace():
            continue
        following = _NEXT_CHARACTER.match(text, end)
        if not cited and following and following.group(1).islower():
            continue
        if not cited and match.group(0) == "." and _is_abbreviation(text, match.start()):
            continue
        cuts.append(end)
    return cuts


def _is_abbreviation(text: str, period: int) -> bool:
    """Tell whether the period at ``period`` closes an abbreviation rather than a sentence."""
    word_start = period
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:period].lstrip("\"“‘'([")
    return word.lower() in ABBREVIATIONS or bool(_DOTTED.fullmatch(word))
