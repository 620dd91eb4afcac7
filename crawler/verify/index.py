"""Content terms of normalised text and a BM25 index over the passages of one source."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import numpy as np
import snowballstemmer

# Okapi BM25 constants as commonly used (Robertson & Zaragoza); measured on WiCE dev, other values did not help.
K1 = 1.2
B = 0.75

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+")
_GROUPED_DIGITS = re.compile(r"\d,\d")
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves s t one which
    said says may might must shall us""".split()
)  # fmt: skip


# snowballstemmer runs PyStemmer's C code when that is installed, its own pure-Python port otherwise.
_STEMMER = snowballstemmer.stemmer("english")


def tokens(normalized: str) -> list[str]:
    """Return the word and number tokens of normalised text (numbers without thousands separators)."""
    words = _TOKEN.findall(normalized)
    return [_clean(word) for word in words] if _GROUPED_DIGITS.search(normalized) else words


def token_spans(normalized: str) -> Iterator[tuple[str, int, int]]:
    """Yield each token of normalised text with its ``start`` and ``end`` offsets."""
    for match in _TOKEN.finditer(normalized):
        yield _clean(match.group()), match.start(), match.end()


def _clean(token: str) -> str:
    return token.replace(",", "") if token[0].isdigit() else token


@lru_cache(maxsize=1 << 17)
def stem(token: str) -> str:
    """Return the Snowball (Porter2) stem of a word token, or a number without thousands separators."""
    if token[0].isdigit():
        return _clean(token)
    return _STEMMER.stemWord(token)


def terms(normalized: str) -> list[str]:
    """Return the stemmed content terms (stopwords dropped) of normalised text."""
    return content_terms(_TOKEN.findall(normalized))


def content_terms(words: Iterable[str]) -> list[str]:
    """Return the stems of the words that are not stopwords."""
    return [stem(word) for word in words if word not in STOPWORDS]


class BM25Index:
    """BM25 over documents that are runs of consecutive units (passages of sentences); weights built once."""

    def __init__(self, unit_terms: Sequence[Sequence[str]], documents: Sequence[tuple[int, int]]) -> None:
        every_term = [term for terms_ in unit_terms for term in terms_]
        vocabulary = {term: number for number, term in enumerate(dict.fromkeys(every_term))}
        term_ids = np.fromiter(map(vocabulary.__getitem__, every_term), dtype=np.int64, count=len(every_term))
        unit_starts = np.zeros(len(unit_terms) + 1, dtype=np.int64)
        np.cumsum([len(terms_) for terms_ in unit_terms], out=unit_starts[1:])
        bounds = np.asarray(documents, dtype=np.int64).reshape(-1, 2)
        starts, stops = unit_starts[bounds[:, 0]], unit_starts[bounds[:, 1] + 1]
        lengths = (stops - starts).astype(np.float64)
        self.size, self.vocabulary = len(bounds), vocabulary
        self.unseen_idf = math.log(1 + (self.size + 0.5) / 0.5)
        counts = (stops - starts).astype(np.int64)
        document_ids = np.repeat(np.arange(self.size, dtype=np.int64), counts)
        positions = np.arange(counts.sum(), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts - starts, counts)
        keys, tf = np.unique(term_ids[positions] * max(self.size, 1) + document_ids, return_counts=True)
        terms_of, self.ids = np.divmod(keys, max(self.size, 1))
        offsets = np.searchsorted(terms_of, np.arange(len(vocabulary) + 1))
        frequency = np.diff(offsets).astype(np.float64)
        self.offsets: list[int] = offsets.tolist()
        idfs = np.log(1 + (self.size - frequency + 0.5) / (frequency + 0.5))
        norm = K1 * (1 - B + B * lengths / max(lengths.mean(), 1.0)) if self.size else lengths
        self.weights = idfs[terms_of] * tf * (K1 + 1) / (tf + norm[self.ids])
        self.idfs: list[float] = idfs.tolist()

    def idf(self, term: str) -> float:
        """Return the inverse document frequency of ``term`` (high for terms absent from the source)."""
        number = self.vocabulary.get(term)
        return self.unseen_idf if number is None else self.idfs[number]

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """Return the BM25 score of every document for the query."""
        ids, weights = [], []
        for term, count in Counter(query_terms).items():
            number = self.vocabulary.get(term)
            if number is not None:
                start, stop = self.offsets[number], self.offsets[number + 1]
                ids.append(self.ids[start:stop])
                weights.append(count * self.weights[start:stop] if count > 1 else self.weights[start:stop])
        if not ids:
            return np.zeros(self.size, dtype=np.float64)
        return np.bincount(np.concatenate(ids), np.concatenate(weights), minlength=self.size)

    def top(self, query_terms: Sequence[str], k: int, scores: np.ndarray | None = None) -> list[int]:
        """Return up to ``k`` document numbers with a positive score, best first (``scores`` if already known)."""
        scores = self.scores(query_terms) if scores is None else scores
        if not self.size:
            return []
        k, negated = min(k, self.size), -scores
        candidates = negated.argpartition(k - 1)[:k]
        ranked = candidates[negated[candidates].argsort(kind="stable")]
        return ranked[negated[ranked] < 0].tolist()
