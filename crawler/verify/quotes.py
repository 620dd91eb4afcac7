"""Look each quoted span of a claim up in the source, word for word, tolerating punctuation, case and spacing."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein, Opcodes

from crawler.extract.normalize import normalize_text
from crawler.verify.index import terms, tokens
from crawler.verify.results import QuoteCheck
from crawler.verify.source import PreparedSource

# Checked on aeb-dev (benchmarks/eval_quotes.py): a gold sentence matches its own page at 100 (99% of them) and
# another page at <= 58 (99th percentile); misquotes score 90–99 and are rejected by the word check, not by this.
FOUND_AT = 90.0
DECISIVE_WORDS = 3  # shorter quotes are scare quotes ("dual-use"): reported, never decisive
CANDIDATES = 5
# A differing word is tolerated only as a spelling variant: one edit or swap of adjacent letters in words of at
# least SPELLING_MIN_CHARS letters ("organisation"/"organization", "centre"/"center"; not "federal"/"several",
# "can"/"can't" or any number). aeb-dev needs no tolerance at all; it is there for UK/US spellings in quotes.
SPELLING_EDITS = 1
SPELLING_MIN_CHARS = 5
_ELLIPSIS = re.compile(r"\s*(?:\[\.\.\.\]|\.\.\.)\s*")


def is_decisive(quote_text: str) -> bool:
    """Return True when a quote is long enough (three or more words) to decide a verdict."""
    return len(tokens(normalize_text(quote_text))) >= DECISIVE_WORDS


def check_quote(quote_text: str, source: PreparedSource) -> QuoteCheck:
    """Return whether the quote appears in the source, its score (0–100) and its original offsets."""
    parts = [words for part in _ELLIPSIS.split(normalize_text(quote_text)) if (words := tokens(part))]
    matches = [_match_part(words, source) for words in parts]
    if not matches:
        return QuoteCheck(quote_text, False, 0.0, None, None)
    score = min(score for score, _, _ in matches)
    located = [(first, stop) for _, first, stop in matches if first is not None]
    in_order = len(located) == len(matches) and all(a[1] <= b[0] for a, b in zip(located, located[1:]))
    if score < FOUND_AT or not in_order:
        return QuoteCheck(quote_text, False, score, None, None)
    start, end = source.token_span(located[0][0])[0], source.token_span(located[-1][1] - 1)[1]
    return QuoteCheck(quote_text, True, score, start, end)


def _match_part(words: list[str], source: PreparedSource) -> tuple[float, int | None, int]:
    """Return ``(score, first token, stop token)``; ``first`` is None when no match keeps every quoted word."""
    stream = source.tokens
    at = stream.joined.find(" " + " ".join(words) + " ")
    if at >= 0:
        first = bisect_left(stream.positions, at + 1)
        return 100.0, first, first + len(words)
    closest, accepted = 0.0, (0.0, None, 0)
    for number in source.index.top(terms(" ".join(words)), CANDIDATES):
        score, first, stop = _align(words, source, number)
        closest = max(closest, score)
        if score > accepted[0] and (kept := _kept_words(words, stream.words, first, stop)) is not None:
            accepted = (score, *kept)
    return accepted if accepted[1] is not None else (closest, None, 0)


def _align(words: list[str], source: PreparedSource, passage: int) -> tuple[float, int, int]:
    stream = source.tokens
    first, stop = source.passage_token_range(passage)
    if first >= stop:
        return 0.0, first, first
    base = stream.positions[first]
    window = stream.joined[base : stream.positions[stop - 1] + len(stream.words[stop - 1])]
    alignment = fuzz.partial_ratio_alignment(" ".join(words), window)
    start = bisect_right(stream.positions, base + alignment.dest_start) - 1
    end = bisect_left(stream.positions, base + alignment.dest_end)
    # Widen the aligned window: words inserted in the source push the quote's last words beyond it.
    slack = len(words) // 4 + 2
    return alignment.score, max(start - slack, first), min(max(end, start + 1) + slack, stop)


def _kept_words(quoted: list[str], words: list[str], first: int, stop: int) -> tuple[int, int] | None:
    """Return the tokens matching the quoted words in order, or None when a word is missing, changed or added.

    Tolerated: words split or joined differently ("tre k"/"trek") and spelling variants; extra words around
    the match are trimmed off.
    """
    found = words[first:stop]
    opcodes = Levenshtein.opcodes(quoted, found)
    blocks = _differing_blocks(opcodes)
    matched = [(op.dest_start, op.dest_end) for op in opcodes if op.tag == "equal"]
    if not matched:
        return None
    for src_start, src_end, dest_start, dest_end in blocks:
        said, seen = "".join(quoted[src_start:src_end]), "".join(found[dest_start:dest_end])
        at_edge = dest_end <= matched[0][0] or dest_start >= matched[-1][1]
        if (at_edge and not said) or said == seen:
            continue
        if not _spelling_variant(said, seen):
            return None
    starts = [dest_start for src_start, src_end, dest_start, _ in blocks if src_start < src_end]
    ends = [dest_end for src_start, src_end, _, dest_end in blocks if src_start < src_end]
    return first + min([matched[0][0], *starts]), first + max([matched[-1][1], *ends])


def _spelling_variant(said: str, seen: str) -> bool:
    if min(len(said), len(seen)) < SPELLING_MIN_CHARS or any(char.isdigit() for char in said + seen):
        return False
    return OSA.distance(said, seen) <= SPELLING_EDITS


def _differing_blocks(opcodes: Opcodes) -> list[tuple[int, int, int, int]]:
    """Merge runs of adjacent non-equal opcodes into ``(src_start, src_end, dest_start, dest_end)`` blocks."""
    blocks: list[tuple[int, int, int, int]] = []
    for op in opcodes:
        if op.tag == "equal":
            continue
        if blocks and blocks[-1][1] == op.src_start and blocks[-1][3] == op.dest_start:
            blocks[-1] = (blocks[-1][0], op.src_end, blocks[-1][2], op.dest_end)
        else:
            blocks.append((op.src_start, op.src_end, op.dest_start, op.dest_end))
    return blocks
