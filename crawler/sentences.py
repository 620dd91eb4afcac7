"""Split text into sentences with character offsets: one splitter for articles and sources.

How a sentence ends:

* A blank line (paragraph break) always ends a sentence.
* A single line break ends one unless the line was hard-wrapped mid-sentence: the next line starts with a
  lowercase letter and the line before has no end mark, colon or semicolon.
* ``.``, ``!``, ``?`` or ``…``, optionally followed by closing quotes or brackets (``risks."``) and by attached
  spans (an article's citation markers: ``risks."[4]``, or after one space ``risks. [4]``), ends a sentence when
  whitespace or the end of the text follows. Attached spans belong to the sentence they follow.
* That punctuation does not end a sentence when no whitespace follows (decimals ``3.5``, ``example.com``, the
  inner dots of ``U.S.``), when the next word starts with a lowercase letter, or when a period closes an
  abbreviation (``Dr.``, ``Gov.``, ``e.g.``, ``U.S.``, an initial like ``J.``), except that an attached span right
  after the period always ends the sentence.
* A piece with no word character (``* * *``, ``—``) is not a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt gen col lt capt sgt rep sen gov rev hon vs cf al approx fig figs vol vols pp ed"
    " eds no nos inc ltd co corp dept est jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_TERMINAL = re.compile(r"[.!?…]+[\"”’')\]]*")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LINE_BREAK = re.compile(r"\n[ \t]*(\S)")
_NEXT_CHARACTER = re.compile(r"\s*(\S)")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Za-z]")
_HAS_WORD = re.compile(r"\w")
_WRAPPED_LINE_END = frozenset('.!?…:;"”')


@dataclass(frozen=True)
class Sentence:
    """A sentence at ``start:end`` of the text it was split from."""

    start: int
    end: int
    text: str


def split_sentences(text: str, attached: Mapping[int, int] | None = None) -> list[Sentence]:
    """Return the sentences of ``text`` in order, with offsets into ``text``.

    ``attached`` maps the start of each span that belongs to the sentence before it (citation markers) to its end.
    """
    attached = attached or {}
    cuts = {match.start() for match in _PARAGRAPH_BREAK.finditer(text)}
    cuts |= {match.start() for match in _LINE_BREAK.finditer(text) if not _is_wrapped_line(text, match)}
    cuts |= set(_punctuation_cuts(text, attached))
    sentences = []
    start = 0
    for cut in [*sorted(cuts), len(text)]:
        piece = text[start:cut]
        stripped = piece.strip()
        if _HAS_WORD.search(stripped):
            offset = start + len(piece) - len(piece.lstrip())
            sentences.append(Sentence(offset, offset + len(stripped), stripped))
        start = cut
    return sentences


def _punctuation_cuts(text: str, attached: Mapping[int, int]) -> list[int]:
    """Return the offsets just after each sentence-ending punctuation (and its attached spans)."""
    cuts = []
    for match in _TERMINAL.finditer(text):
        end = match.end()
        if text[end : end + 1] in (" ", "\t") and end + 1 in attached:
            end += 1
        cited = end in attached
        while end in attached:
            end = attached[end]
        if end < len(text) and not text[end].isspace():
            continue
        if not cited:
            following = _NEXT_CHARACTER.match(text, end)
            if following and following.group(1).islower():
                continue
            if _closes_abbreviation(text, match):
                continue
        cuts.append(end)
    return cuts


def _closes_abbreviation(text: str, match: re.Match[str]) -> bool:
    """Tell whether the single period of ``match`` closes an abbreviation rather than a sentence."""
    if not match.group().startswith(".") or match.group().startswith(".."):
        return False
    word_start = match.start()
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start : match.start()].lstrip("\"“‘'([")
    return word.lower() in ABBREVIATIONS or bool(_DOTTED.fullmatch(word))


def _is_wrapped_line(text: str, line_break: re.Match[str]) -> bool:
    """Tell whether a line break falls inside a sentence: no end mark before it, a lowercase word after it."""
    if not line_break.group(1).islower():
        return False
    before = text[max(0, line_break.start() - 200) : line_break.start()].rstrip()
    return bool(before) and before[-1] not in _WRAPPED_LINE_END
