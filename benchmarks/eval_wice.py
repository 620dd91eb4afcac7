"""Evaluate evidence retrieval and verdicts on WiCE dev, with thresholds chosen by cross-validation.

Usage: python benchmarks/eval_wice.py [--data ../shared/eval/wice-dev.jsonl] [--folds 10] [--repeats 20] [--fit]
Baselines measured in the same run: plain BM25 (rank-bm25) and rapidfuzz token_sort_ratio over single sentences.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi
from rapidfuzz import fuzz

from crawler.extract.normalize import normalize_text
from crawler.ingest.quotes import find_quotes
from crawler.verify.engine import analyse, prepare_source
from crawler.verify.index import terms
from crawler.verify.quotes import check_quote
from crawler.verify.results import QuoteCheck
from crawler.verify.score import SupportFeatures, support_score
from crawler.verify.verdict import Thresholds, decide

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "wice-dev.jsonl"
GOLD = {"supported": "supported", "partially_supported": "partial", "not_supported": "not_found"}
LABELS = ("supported", "partial", "not_found")


@dataclass
class Case:
    """One WiCE claim with what the engine measured on it."""

    label: str
    features: tuple[float, ...]
    quotes: list[QuoteCheck]
    hits: list[bool]  # per evidence passage: contains a gold supporting sentence
    top_sentences: int  # WiCE sentences inside the top passage
    has_gold: bool
    baseline_hits: dict[str, list[bool]]

    @property
    def coverage(self) -> float:
        """Coverage of the claim by the best passage, 0–100 (as ``verify_claim`` computes it)."""
        return 100 * self.features[0]

    @cached_property
    def quote_effect(self) -> str:
        """How ``decide`` lets this claim's quotes override the score: "cap", "lift" or ""."""
        if decide(100.0, 100.0, self.quotes, Thresholds(1.0, 0.5)) == "partial":
            return "cap"
        return "lift" if decide(0.0, 0.0, self.quotes, Thresholds(1.0, 0.5)) == "partial" else ""


def load_cases(path: Path) -> list[Case]:
    """Run the engine (and the single-sentence baselines) on every claim of the file."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = "\n".join(row["evidence"])
        bounds, offset = [], 0
        for sentence in row["evidence"]:
            bounds.append((offset, offset + len(sentence)))
            offset += len(sentence) + 1
        gold = {index for group in row["supporting_sentences"] for index in group}
        source = prepare_source(text)
        analysis = analyse(row["claim"], source)
        top = analysis.evidence[0] if analysis.evidence else None
        windows = [source.passages[n] for n in source.index.top(terms(normalize_text(row["claim"])), 3)]
        baselines = {**_baselines(row, gold), "bm25 same 1-3 windows": _hits(windows, bounds, gold)}
        cases.append(
            Case(
                label=GOLD[row["label"]],
                features=analysis.features.vector(),
                quotes=[check_quote(quote.text, source) for quote in find_quotes(row["claim"])],
                hits=_hits(analysis.evidence, bounds, gold),
                top_sentences=len(_overlapping([top], bounds)) if top else 0,
                has_gold=bool(gold),
                baseline_hits=baselines,
            )
        )
    return cases


def _overlapping(spans: list, bounds: list[tuple[int, int]]) -> set[int]:
    """Return the numbers of the WiCE sentences that overlap any of the spans (anything with start/end)."""
    return {i for i, (start, end) in enumerate(bounds) for span in spans if start < span.end and span.start < end}


def _hits(spans: list, bounds: list[tuple[int, int]], gold: set[int]) -> list[bool]:
    return [bool(_overlapping([span], bounds) & gold) for span in spans]


def _baselines(row: dict, gold: set[int]) -> dict[str, list[bool]]:
    sentences = row["evidence"]
    words = [re.findall(r"\w+", sentence.lower()) or ["_"] for sentence in sentences]
    bm25 = BM25Okapi(words).get_scores(re.findall(r"\w+", row["claim"].lower()))
    ratio = [fuzz.token_sort_ratio(row["claim"], sentence) for sentence in sentences]
    return {
        name: [int(i) in gold for i in np.argsort(-np.asarray(scores), kind="stable")[:3]]
        for name, scores in (("bm25 sentences", bm25), ("token_sort_ratio sentences", ratio))
    }


def fit_logistic(features: np.ndarray, labels: np.ndarray, l2: float = 1.0) -> tuple[np.ndarray, float]:
    """Fit L2-regularised logistic regression by Newton's method; return (weights, intercept)."""
    design = np.c_[features, np.ones(len(features))]
    weights = np.zeros(design.shape[1])
    penalty = l2 * np.diag(np.r_[np.ones(design.shape[1] - 1), 0.0])
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ weights))
        gradient = design.T @ (p - labels) + penalty @ weights
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        weights -= np.linalg.solve(hessian, gradient)
    return weights[:-1], float(weights[-1])


def calibrate(cases: list[Case]) -> tuple[np.ndarray, float, Thresholds]:
    """Fit weights on ``cases``; choose the supported threshold for accuracy, the partial one for macro F1."""
    x = np.array([case.features for case in cases])
    weights, intercept = fit_logistic(x, np.array([case.label == "supported" for case in cases], dtype=float))
    scores = [_score(case, weights, intercept) for case in cases]
    candidates = sorted(set(scores))
    supported = max(candidates, key=lambda t: _accuracy(cases, scores, Thresholds(t, 0.0), binary=True))
    partial = max(sorted({c.coverage for c in cases}), key=lambda t: _accuracy(cases, scores, Thresholds(supported, t)))
    return weights, intercept, Thresholds(supported, partial)


def _score(case: Case, weights: np.ndarray, intercept: float) -> float:
    return support_score(SupportFeatures(*case.features), tuple(weights), intercept)


def _accuracy(cases: list[Case], scores: list[float], thresholds: Thresholds, binary: bool = False) -> float:
    """Supported-vs-rest accuracy, or else macro F1, of ``decide`` at these thresholds."""
    score = np.asarray(scores)
    capped = np.array([c.quote_effect == "cap" for c in cases])
    lifted = np.array([c.quote_effect == "lift" for c in cases])
    supported = (score >= thresholds.supported) & ~capped
    coverage = np.array([c.coverage for c in cases])
    partial = ~supported & ((coverage >= thresholds.partial) | lifted)
    gold = np.array([c.label for c in cases])
    if binary:
        return float(np.mean(supported == (gold == "supported")))
    verdict = np.where(supported, "supported", np.where(partial, "partial", "not_found"))
    return macro_f1(gold, verdict)


def macro_f1(gold: np.ndarray, verdict: np.ndarray) -> float:
    """Return the F1 score averaged over the three verdicts."""
    scores = []
    for label in LABELS:
        hits = np.sum((verdict == label) & (gold == label))
        scores.append(2 * hits / max(np.sum(verdict == label) + np.sum(gold == label), 1))
    return float(np.mean(scores))


def auroc(positive: list[float], negative: list[float]) -> float:
    """Return the probability that a positive scores above a negative (ties count half)."""
    pos, neg = np.asarray(positive)[:, None], np.asarray(negative)[None, :]
    return float(((pos > neg).sum() + 0.5 * (pos == neg).sum()) / (pos.size * neg.size))


def cross_validate(cases: list[Case], folds: int, repeats: int) -> dict:
    """Return cross-validated accuracy, AUROC and the confusion matrix (first repeat)."""
    binary, accuracy3, balanced, aurocs, confusion = [], [], [], [], None
    for repeat in range(repeats):
        order = np.random.default_rng(repeat).permutation(len(cases))
        verdicts, scores = [""] * len(cases), [0.0] * len(cases)
        for fold in range(folds):
            test = set(order[fold::folds].tolist())
            weights, intercept, thresholds = calibrate([c for i, c in enumerate(cases) if i not in test])
            for i in test:
                scores[i] = _score(cases[i], weights, intercept)
                verdicts[i] = decide(scores[i], cases[i].coverage, cases[i].quotes, thresholds)
        binary.append(np.mean([(v == "supported") == (c.label == "supported") for v, c in zip(verdicts, cases)]))
        accuracy3.append(np.mean([v == c.label for v, c in zip(verdicts, cases)]))
        balanced.append(macro_f1(np.array([c.label for c in cases]), np.array(verdicts)))
        aurocs.append(
            auroc(*[[s for s, c in zip(scores, cases) if c.label == lab] for lab in ("supported", "not_found")])
        )
        if confusion is None:
            confusion = {
                gold: {got: sum(1 for v, c in zip(verdicts, cases) if c.label == gold and v == got) for got in LABELS}
                for gold in LABELS
            }
    return {"binary": binary, "accuracy3": accuracy3, "balanced": balanced, "auroc": aurocs, "confusion": confusion}


def recall(hit_lists: list[list[bool]], k: int) -> float:
    """Return the share of claims with a gold sentence in their top ``k`` passages."""
    return float(np.mean([any(hits[:k]) for hits in hit_lists]))


def main() -> None:
    """Print recall, cross-validated verdict quality and (with --fit) the calibration to ship."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="WiCE dev JSONL file")
    parser.add_argument("--folds", type=int, default=10, help="cross-validation folds")
    parser.add_argument("--repeats", type=int, default=20, help="cross-validation repeats with new shuffles")
    parser.add_argument("--fit", action="store_true", help="also print weights and thresholds fitted on all of dev")
    args = parser.parse_args()
    cases = load_cases(args.data)
    with_gold = [case for case in cases if case.has_gold]
    print(f"WiCE dev: {len(cases)} claims, {len(with_gold)} with gold supporting sentences")
    print("evidence recall               @1     @3")
    ours = [c.hits for c in with_gold]
    print(f"  {'citetrack passages':<26s} {recall(ours, 1):.3f}  {recall(ours, 3):.3f}")
    top_size = np.mean([c.top_sentences for c in with_gold])
    print(f"  (a citetrack passage is 1-3 sentences; the top one holds {top_size:.2f} on average)")
    for name in with_gold[0].baseline_hits:
        lists = [c.baseline_hits[name] for c in with_gold]
        print(f"  {name:<26s} {recall(lists, 1):.3f}  {recall(lists, 3):.3f}")
    result = cross_validate(cases, args.folds, args.repeats)
    mean, spread = np.mean(result["binary"]), np.std(result["binary"])
    print(f"cross-validated ({args.folds}-fold x {args.repeats}), thresholds and weights refitted per fold:")
    majority = np.mean([c.label != "supported" for c in cases])
    print(f"  supported-vs-rest accuracy {mean:.3f} (sd {spread:.3f}); always 'not supported' {majority:.3f}")
    print(f"  3-class accuracy {np.mean(result['accuracy3']):.3f}, macro F1 {np.mean(result['balanced']):.3f}")
    print(f"  AUROC supported vs not_supported {np.mean(result['auroc']):.3f}")
    print("  confusion (rows gold, columns verdict), first repeat:")
    print("    " + " ".join(f"{label:>10s}" for label in ("gold\\got", *LABELS)))
    for gold in LABELS:
        print("    " + f"{gold:>10s} " + " ".join(f"{result['confusion'][gold][got]:>10d}" for got in LABELS))
    if args.fit:
        weights, intercept, thresholds = calibrate(cases)
        print(
            f"fitted on all of dev: WEIGHTS = {tuple(round(float(w), 2) for w in weights)}, INTERCEPT = {intercept:.2f}"
        )
        print(f"  THRESHOLDS = Thresholds(supported={thresholds.supported:.1f}, partial={thresholds.partial:.1f})")


if __name__ == "__main__":
    main()
