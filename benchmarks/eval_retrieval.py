"""Evidence retrieval on WiCE dev and Check-COVID train: recall@1/@3 of the engine against like-for-like baselines.

Usage: python benchmarks/eval_retrieval.py [--data ../shared/eval] [--folds 5] [--semantic]

A claim counts as a hit at k when one of its top-k passages overlaps a gold evidence sentence. Baselines, measured
in the same run on the same text: BM25 with the engine's own tokens, stems and stopwords (over single sentences,
and over windows of up to 2 or 3 sentences), and rapidfuzz ``token_sort_ratio`` with ``default_process`` over
single sentences. Each method's settings (BM25: window size; the engine: candidates and BM25 tie weight, or with
--semantic the weight of the cosine) are chosen by cross-validation on recall@1 over folds of whole
pages/abstracts; the figures are the held-out ones.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from itertools import product

import evalsets
import numpy as np
from rapidfuzz import fuzz, utils

from crawler.extract.normalize import normalize_text
from crawler.verify import score as score_module
from crawler.verify.engine import analyse, prepare_source
from crawler.verify.index import BM25Index, terms
from crawler.verify.segment import passages
from crawler.verify.source import PreparedSource

# (CANDIDATES, BM25_TIE_WEIGHT, SEMANTIC_RANK_WEIGHT); the semantic weight only matters with the extra
LEXICAL_SETTINGS = [(*pair, 0.5) for pair in product((10, 20, 40), (0.05, 0.1, 0.2))]
SEMANTIC_SETTINGS = [(20, 0.1, weight) for weight in (0.25, 0.5, 1.0)]
BM25_WINDOWS = (1, 2, 3)

Spans = list[tuple[int, int]]


def bm25_top(source: PreparedSource, claim: str, window: int) -> Spans:
    """Return the top 3 non-overlapping windows of up to ``window`` sentences by BM25 over the engine's terms."""
    sentence_terms = [terms(normalize_text(source.text[s.start : s.end])) for s in source.sentences]
    windows = passages(source.sentences, window)
    index = BM25Index(sentence_terms, [(w.first, w.last) for w in windows])
    chosen: Spans = []
    taken: set[int] = set()
    for number in index.top(terms(normalize_text(claim)), len(windows)):
        span = windows[number]
        if taken.isdisjoint(range(span.first, span.last + 1)):
            chosen.append((span.start, span.end))
            taken.update(range(span.first, span.last + 1))
        if len(chosen) == 3:
            break
    return chosen


def fuzz_top(source: PreparedSource, claim: str) -> Spans:
    """Return the 3 single sentences with the highest ``token_sort_ratio`` (both sides ``default_process``-ed)."""
    scored = [
        (fuzz.token_sort_ratio(claim, source.text[s.start : s.end], processor=utils.default_process), -i)
        for i, s in enumerate(source.sentences)
    ]
    best = sorted(scored, reverse=True)[:3]
    return [(source.sentences[-i].start, source.sentences[-i].end) for _, i in best]


def engine_top(source: PreparedSource, claim: str, setting: tuple, encoder: object | None) -> Spans:
    """Return the engine's evidence passages with the given (CANDIDATES, BM25_TIE_WEIGHT, SEMANTIC_RANK_WEIGHT)."""
    score_module.CANDIDATES, score_module.BM25_TIE_WEIGHT, score_module.SEMANTIC_RANK_WEIGHT = setting
    return [(e.start, e.end) for e in analyse(claim, source, encoder).evidence]


def hits(spans: Spans, gold: Sequence[tuple[int, int]]) -> list[bool]:
    """Return, per retrieved span, whether it overlaps a gold span."""
    return [any(start < g_end and g_start < end for g_start, g_end in gold) for start, end in spans]


def cross_validated(runs: dict[object, list[list[bool]]], groups: list[str], folds: int) -> tuple[float, float, list]:
    """Choose the setting with the best recall@1 on the other folds, per fold; return held-out recall@1, @3."""
    order = {g: i % folds for i, g in enumerate(np.random.default_rng(0).permutation(sorted(set(groups))))}
    fold_of = np.array([order[g] for g in groups])
    at1, at3, chosen = np.zeros(len(groups)), np.zeros(len(groups)), []
    for fold in range(folds):
        train, test = fold_of != fold, fold_of == fold
        best = max(runs, key=lambda s: np.mean([any(h[:1]) for h, t in zip(runs[s], train) if t]))
        chosen.append(best)
        at1[test] = [any(h[:1]) for h, t in zip(runs[best], test) if t]
        at3[test] = [any(h[:3]) for h, t in zip(runs[best], test) if t]
    return float(at1.mean()), float(at3.mean()), chosen


def evaluate(items: list[evalsets.Item], folds: int, encoder: object | None) -> None:
    """Print held-out recall@1/@3 of the engine and each baseline on one data set."""
    items = [item for item in items if item.gold]
    prepared: dict[str, PreparedSource] = {}
    for item in items:
        if item.source not in prepared:
            prepared[item.source] = prepare_source(item.source)
    sources = [prepared[item.source] for item in items]
    methods: dict[str, dict[object, Callable[[PreparedSource, str], Spans]]] = {
        "citetrack passages (1-3 sentences)": {
            setting: (lambda s, c, setting=setting: engine_top(s, c, setting, encoder))
            for setting in (SEMANTIC_SETTINGS if encoder else LEXICAL_SETTINGS)
        },
        "BM25, engine tokens, windows": {w: (lambda s, c, w=w: bm25_top(s, c, w)) for w in BM25_WINDOWS},
        "BM25, engine tokens, sentences": {1: lambda s, c: bm25_top(s, c, 1)},
        "token_sort_ratio, sentences": {0: fuzz_top},
    }
    defaults = (score_module.CANDIDATES, score_module.BM25_TIE_WEIGHT, score_module.SEMANTIC_RANK_WEIGHT)
    groups = [item.group for item in items]
    print(f"{items[0].dataset}: {len(items)} claims with gold evidence")
    print(f"  {'method':<36} {'@1':>6} {'@3':>6}  settings chosen per fold")
    for name, settings in methods.items():
        runs = {
            setting: [hits(run(source, item.claim), item.gold) for source, item in zip(sources, items)]
            for setting, run in settings.items()
        }
        at1, at3, chosen = cross_validated(runs, groups, folds)
        print(f"  {name:<36} {at1:6.3f} {at3:6.3f}  {sorted(set(map(str, chosen)))}")
    score_module.CANDIDATES, score_module.BM25_TIE_WEIGHT, score_module.SEMANTIC_RANK_WEIGHT = defaults


def main() -> None:
    """Print cross-validated evidence recall on WiCE dev and Check-COVID train."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=type(evalsets.DEFAULT_DATA), default=evalsets.DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    parser.add_argument("--semantic", action="store_true", help="re-rank with the semantic extra (MiniLM) as well")
    args = parser.parse_args()
    encoder = evalsets.encoder(args.semantic)
    evaluate(evalsets.wice(args.data), args.folds, encoder)
    evaluate(evalsets.check_covid("train", args.data), args.folds, encoder)


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    main()
