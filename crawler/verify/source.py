"""A source text prepared once for matching: segmented, tokenised per sentence and indexed."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate

from crawler.extract.normalize import normalize, normalize_text
from crawler.verify.index import BM25Index, content_terms, token_spans, tokens
from crawler.verify.segment import Span, passages, split_sentences


@dataclass(frozen=True)
class TokenStream:
    """The source's tokens joined by single spaces (``joined``), with where each token starts in it."""

    words: list[str]
    joined: str
    positions: list[int]


def matching_form(text: str) -> str:
    """Return text whose tokens are those of ``normalize_text(text)``; plain ASCII lines skip the slow path."""
    # For ASCII, NFKC is the identity and case-folding is lower-casing; only hyphenated line ends need joining.
    if text.isascii() and "\n" not in text:
        return text.lower()
    return normalize_text(text)


def _values(numbers: frozenset[str]) -> list[float]:
    """Return the numeric values of number tokens ("3.5", "87000"); dotted ones like "1.2.3" are left out."""
    values = []
    for number in numbers:
        try:
            values.append(float(number))
        except ValueError:
            continue
    return values


class PreparedSource:
    """Source text with its sentences, passages and BM25 index; built once and reused for every claim.

    Only what every claim needs is built eagerly (sentences, their words and terms, the index); the map from
    tokens back to original offsets is built per sentence, for the few sentences a quote or conflict lands in.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences: list[Span] = split_sentences(text)
        self.passages: list[Span] = passages(self.sentences)
        self.sentence_forms = [matching_form(text[s.start : s.end]) for s in self.sentences]
        self.sentence_words = [tokens(form) for form in self.sentence_forms]
        sentence_terms = [content_terms(words) for words in self.sentence_words]
        self.index = BM25Index(sentence_terms, [(p.first, p.last) for p in self.passages])
        self.sentence_terms = [frozenset(terms_) for terms_ in sentence_terms]
        self.vocabulary: frozenset[str] = frozenset().union(*self.sentence_terms)
        self.numbers = frozenset(term for term in self.vocabulary if term[0].isdigit())
        self.values = frozenset(_values(self.numbers))
        self.first_tokens = [0, *accumulate(map(len, self.sentence_words))]
        self._passage_terms: dict[int, frozenset[str]] = {}
        self._token_spans: dict[int, list[tuple[int, int]]] = {}

    def passage_normalized(self, number: int) -> str:
        """Return the matching form of passage ``number`` (its sentences joined by spaces)."""
        passage = self.passages[number]
        return " ".join(self.sentence_forms[passage.first : passage.last + 1])

    def passage_terms(self, number: int) -> frozenset[str]:
        """Return the content terms of passage ``number``; built on first use, as claims touch few passages."""
        found = self._passage_terms.get(number)
        if found is None:
            passage = self.passages[number]
            found = frozenset().union(*self.sentence_terms[passage.first : passage.last + 1])
            self._passage_terms[number] = found
        return found

    def passage_token_range(self, number: int) -> tuple[int, int]:
        """Return the token numbers ``[first, stop)`` inside passage ``number``."""
        passage = self.passages[number]
        return self.first_tokens[passage.first], self.first_tokens[passage.last + 1]

    def token_span(self, number: int) -> tuple[int, int]:
        """Return the original ``(start, end)`` of token ``number`` of the stream."""
        sentence = bisect_right(self.first_tokens, number) - 1
        spans = self._token_spans.get(sentence)
        if spans is None:
            spans = self._token_spans[sentence] = self._sentence_token_spans(sentence)
        return spans[number - self.first_tokens[sentence]]

    def _sentence_token_spans(self, number: int) -> list[tuple[int, int]]:
        sentence = self.sentences[number]
        normalized = normalize(self.text[sentence.start : sentence.end])
        spans = []
        for _, start, end in token_spans(normalized.text):
            original_start, original_end = normalized.span(start, end)
            spans.append((sentence.start + original_start, sentence.start + original_end))
        return spans

    @cached_property
    def tokens(self) -> TokenStream:
        """The token stream used to look quotes up word by word; built on first use."""
        words = [word for sentence in self.sentence_words for word in sentence]
        positions = list(accumulate((len(word) + 1 for word in words[:-1]), initial=1)) if words else []
        return TokenStream(words, " " + " ".join(words) + " ", positions)
