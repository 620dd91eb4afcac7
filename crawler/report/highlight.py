"""Find the words of an evidence passage that also occur in the claim, for highlighting."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+")
# Function words match everywhere and would drown the highlighting.
_STOPWORD_TEXT = (
    "a about after also an and any are as at be been but by can could did do does for from had has have in into "
    "is it its more most of on or our so such than that the their them then there these they this those to us "
    "was we were what when which while who will with would"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _key(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold()


def content_words(text: str) -> set[str]:
    """Return the case-folded content words of ``text`` (stopwords and one-letter words dropped)."""
    return {key for key in map(_key, _WORD.findall(text)) if key not in _STOPWORDS and (len(key) > 1 or key.isdigit())}


def matched_spans(claim: str, passage: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets in ``passage`` of the words it shares with ``claim``, in order."""
    wanted = content_words(claim)
    return [match.span() for match in _WORD.finditer(passage) if _key(match.group()) in wanted]
