"""A source text prepared once for matching: normalised, segmented, indexed and tokenised."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from crawler.extract.normalize import NormalizedText, normalize
from crawler.verify.index import BM25Index, terms, token_spans
from crawler.verify.segment import Span, passages, split_sentences

PREFIX = 5  # content terms also match on their first letters ("elected" ~ "election"), measured on WiCE dev


@dataclass(frozen=True)
class TokenStream:
    """The source's tokens joined by single spaces (``joined``), with where each token sits in it and in the text."""

    words: list[str]
    joined: str
    positions: list[int]
    starts: list[int]
    ends: list[int]


class PreparedSource:
    """Source text with its sentences, passages and BM25 index; built once and reused for every claim."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.normalized: NormalizedText = normalize(text)
        self.sentences: list[Span] = split_sentences(text)
        self.passages: list[Span] = passages(self.sentences)
        self.sentence_ranges = [(self._to_normalized(s.start), self._to_normalized(s.end)) for s in self.sentences]
        sentence_terms = [terms(self.normalized.text[start:end]) for start, end in self.sentence_ranges]
        self.index = BM25Index(sentence_terms, [(p.first, p.last) for p in self.passages])
        self.sentence_prefixes = [frozenset(term[:PREFIX] for term in terms_) for terms_ in sentence_terms]
        self._passage_prefixes: dict[int, frozenset[str]] = {}
        self.vocabulary = {term for sentence in sentence_terms for term in sentence}

    def passage_normalized(self, number: int) -> str:
        """Return the normalised text of passage ``number``."""
        passage = self.passages[number]
        return self.normalized.text[self.sentence_ranges[passage.first][0] : self.sentence_ranges[passage.last][1]]

    def passage_prefixes(self, number: int) -> frozenset[str]:
        """Return the term prefixes of passage ``number``; built on first use, as claims touch few passages."""
        prefixes = self._passage_prefixes.get(number)
        if prefixes is None:
            passage = self.passages[number]
            prefixes = frozenset().union(*self.sentence_prefixes[passage.first : passage.last + 1])
            self._passage_prefixes[number] = prefixes
        return prefixes

    def passage_token_range(self, number: int) -> tuple[int, int]:
        """Return the token numbers ``[first, stop)`` inside passage ``number``."""
        passage = self.passages[number]
        first = bisect_left(self.tokens.starts, self.sentence_ranges[passage.first][0])
        stop = bisect_left(self.tokens.starts, self.sentence_ranges[passage.last][1])
        return first, stop

    def original_span(self, normalized_start: int, normalized_end: int) -> tuple[int, int]:
        """Return the original ``(start, end)`` of a normalised region."""
        return self.normalized.span(normalized_start, normalized_end)

    @cached_property
    def numbers(self) -> frozenset[str]:
        """Every number token of the source (thousands separators removed)."""
        return frozenset(word for word in self.tokens.words if word[0].isdigit())

    @cached_property
    def tokens(self) -> TokenStream:
        """The token stream used to look quotes up word by word; built on first use."""
        words, positions, starts, ends = [], [], [], []
        position = 1
        for word, start, end in token_spans(self.normalized.text):
            words.append(word)
            positions.append(position)
            starts.append(start)
            ends.append(end)
            position += len(word) + 1
        return TokenStream(words, " " + " ".join(words) + " ", positions, starts, ends)

    def _to_normalized(self, original_offset: int) -> int:
        return bisect_left(self.normalized.starts, original_offset)
