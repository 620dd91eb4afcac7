"""Find the words of an evidence passage that the matching engine counts as the claim's, for highlighting.

The engine's own normalisation, tokens, stopwords and Snowball stems decide, so the report marks exactly the
words coverage was computed on ("elected" in the passage for "election" in the claim, never "not" or "the").
"""

from __future__ import annotations

from crawler.extract.normalize import normalize, normalize_text
from crawler.verify.index import STOPWORDS, stem, terms, token_spans


def matched_spans(claim: str, passage: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets in ``passage`` of the words whose stems are content terms of ``claim``."""
    wanted = set(terms(normalize_text(claim)))
    normalized = normalize(passage)
    return [
        normalized.span(start, end)
        for word, start, end in token_spans(normalized.text)
        if word not in STOPWORDS and stem(word) in wanted
    ]
