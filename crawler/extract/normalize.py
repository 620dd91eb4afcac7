"""Normalise text for matching while keeping a map from every normalised character back to the original."""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

# Typographic variants that NFKC keeps apart but a reader treats as the same character.
_UNIFY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
    }
)  # fmt: skip
_DROPPED = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_UNIFY_OR_DROP_STRINGS = {
    **{chr(code): replacement for code, replacement in _UNIFY.items()}, **dict.fromkeys(_DROPPED, "")
}
_UNIFY_OR_DROP_PATTERN = re.compile("|".join(map(re.escape, _UNIFY_OR_DROP_STRINGS)))
# A hyphen at a line end between two lowercase-continued word parts is PDF hyphenation, not a real hyphen.
_LINE_HYPHEN = re.compile(r"(?<=\w)[-\u00ad\u2010]\s*\n\s*(?=[a-z\u00e0-\u00ff])")
# Printable ASCII (single spaces inside) needs only lower-casing; the lookahead leaves a base letter that
# carries combining marks to the slow path.
_PLAIN = re.compile(
    r"[!-~](?:[!-~]| (?=[!-~]))*(?![\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])"
)


@dataclass(frozen=True)
class NormalizedText:
    """Normalised ``text`` plus, for each of its characters, the ``[start, end)`` it came from in ``original``."""

    text: str
    original: str
    starts: array
    ends: array

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the original ``(start, end)`` covering normalised ``text[start:end]``."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside 0:{len(self.text)}")
        if start == end:
            at = self.starts[start] if start < len(self.text) else len(self.original)
            return at, at
        return self.starts[start], self.ends[end - 1]


def normalize_text(text: str) -> str:
    """Return only the matching form of ``text``, equal to ``normalize(text).text`` but faster (claims, quotes)."""
    joined = _LINE_HYPHEN.sub("", text) if "\n" in text else text
    folded = unicodedata.normalize("NFKC", joined).casefold()
    # Substituting the few typographic characters is faster than translating every character of the text.
    return " ".join(_UNIFY_OR_DROP_PATTERN.sub(_unify_or_drop, folded).split())


def _unify_or_drop(match: re.Match[str]) -> str:
    return _UNIFY_OR_DROP_STRINGS[match.group()]


@lru_cache(maxsize=65536)
def fold(cluster: str) -> str:
    """Return the matching form of one character (with its combining marks): NFKC, case-folded, unified."""
    if cluster in _DROPPED:
        return ""
    return unicodedata.normalize("NFKC", cluster).casefold().translate(_UNIFY)


def normalize(text: str) -> NormalizedText:
    """Return the matching form of ``text`` with an offset map back to it."""
    builder = _Builder()
    position = 0
    for joint in _LINE_HYPHEN.finditer(text):
        builder.add_segment(text, position, joint.start())
        position = joint.end()
    builder.add_segment(text, position, len(text))
    return builder.build(text)


class _Builder:
    """Accumulates normalised pieces and their source spans, collapsing whitespace runs."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.starts = array("i")
        self.ends = array("i")
        self.last_space = True  # drops leading whitespace

    def add_segment(self, text: str, start: int, end: int) -> None:
        position = start
        for plain in _PLAIN.finditer(text, start, end):
            self.add_special(text, position, plain.start())
            piece = plain.group().lower().translate(_UNIFY)
            self.pieces.append(piece)
            self.starts.extend(range(plain.start(), plain.end()))
            self.ends.extend(range(plain.start() + 1, plain.end() + 1))
            self.last_space = False
            position = plain.end()
        self.add_special(text, position, end)

    def add_special(self, text: str, start: int, end: int) -> None:
        index = start
        while index < end:
            stop = index + 1
            while stop < end and unicodedata.combining(text[stop]):
                stop += 1
            self.add_folded(fold(text[index:stop]), index, stop)
            index = stop

    def add_folded(self, folded: str, start: int, end: int) -> None:
        for char in folded:
            if char.isspace():
                if self.last_space:
                    if self.pieces and self.pieces[-1] == " ":
                        self.ends[-1] = end
                    continue
                char = " "
            self.pieces.append(char)
            self.starts.append(start)
            self.ends.append(end)
            self.last_space = char == " "

    def build(self, original: str) -> NormalizedText:
        if self.pieces and self.pieces[-1] == " ":
            self.pieces.pop()
            self.starts.pop()
            self.ends.pop()
        return NormalizedText("".join(self.pieces), original, self.starts, self.ends)
