"""Find double-quoted spans (straight or curly) inside a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

# An opening quote is “ or a " not glued to a preceding word; the span closes at ” or the next ".
_QUOTED = re.compile(r'“([^“”]+?)”|(?<![\w])"([^"]+?)"')


@dataclass(frozen=True)
class Quote:
    """A quoted span; ``start``/``end`` are offsets of the text inside the quote marks."""

    text: str
    start: int
    end: int

    def as_dict(self) -> dict[str, int | str]:
        """Return the span as ``{"text", "start", "end"}``."""
        return {"text": self.text, "start": self.start, "end": self.end}


def find_quotes(sentence: str) -> list[Quote]:
    """Return the double-quoted spans of ``sentence`` in order, without their quote marks."""
    quotes = []
    for match in _QUOTED.finditer(sentence):
        group = 1 if match.group(1) is not None else 2
        inner = match.group(group)
        stripped = inner.strip()
        if not stripped:
            continue
        start = match.start(group) + (len(inner) - len(inner.lstrip()))
        quotes.append(Quote(stripped, start, start + len(stripped)))
    return quotes
