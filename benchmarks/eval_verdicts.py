"""Verdict quality on WiCE dev, Check-COVID and ExpertQA, calibrated on all three and chosen by cross-validation.

Usage: python benchmarks/eval_verdicts.py [--data ../shared/eval] [--semantic] [--folds 5] [--repeats 4] [--fit]

Weights and thresholds are fitted on WiCE dev + Check-COVID train + ExpertQA validation together (each set weighs
the same). Cross-validated figures ("cv") come from folds the calibration never saw: pages, abstracts and
questions are never split across folds. Check-COVID dev is held out entirely ("held-out"). Figures measured with
the calibration fitted on all three sets are marked "tuned-on". With --semantic the engine re-ranks candidates and
scores support with the packaged MiniLM model (the semantic extra).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import evalsets
from crawler.ingest.quotes import find_quotes
from crawler.verify.calibration import Calibration
from crawler.verify.engine import analyse, prepare_source
from crawler.verify.quotes import check_quote
from crawler.verify.results import CONTRADICTED, NOT_FOUND, PARTIAL, SUPPORTED, Conflict, QuoteCheck
from crawler.verify.score import SupportFeatures, support_score
from crawler.verify.verdict import Thresholds, decide

CALIBRATION_SETS = ("wice", "check-covid-train", "expertqa")
L2_CHOICES = (0.3, 1.0, 3.0, 10.0)
GATE_CHOICES = (10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0)  # best-passage coverage for a conflict to count, 0–100


@dataclass
class Case:
    """One claim with what the engine measured on it (everything a calibration needs to decide its verdict)."""

    dataset: str
    group: str
    label: str
    features: SupportFeatures
    quotes: list[QuoteCheck]
    conflicts: list[Conflict]
    hits: list[bool]  # per evidence passage: overlaps a gold evidence span
    has_gold: bool

    @property
    def coverage(self) -> float:
        """Coverage of the claim by the best passage, 0–100."""
        return 100 * self.features.best_coverage


def load_cases(items: Sequence[evalsets.Item], encoder: object | None) -> list[Case]:
    """Run the engine on every item; each distinct source text is prepared once."""
    prepared: dict[str, object] = {}
    cases = []
    for item in items:
        source = prepared.get(item.source)
        if source is None:
            source = prepared[item.source] = prepare_source(item.source)
        analysis = analyse(item.claim, source, encoder)
        hits = [any(start < e.end and e.start < end for start, end in item.gold) for e in analysis.evidence]
        quotes = [check_quote(quote.text, source) for quote in find_quotes(item.claim)]
        cases.append(
            Case(item.dataset, item.group, item.label, analysis.features, quotes, analysis.conflicts, hits, bool(item.gold))
        )
    return cases


def fit_logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Fit weighted L2-regularised logistic regression by Newton's method; return (weights, intercept)."""
    design = np.c_[x, np.ones(len(x))]
    beta = np.zeros(design.shape[1])
    penalty = l2 * np.diag(np.r_[np.ones(design.shape[1] - 1), 0.0])
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ beta))
        gradient = design.T @ (weight * (p - y)) + penalty @ beta
        hessian = design.T @ (design * (weight * p * (1 - p))[:, None]) + penalty
        beta -= np.linalg.solve(hessian, gradient)
    return beta[:-1], float(beta[-1])


class Arrays:
    """The cases as arrays, so a calibration's verdicts are computed for all of them at once."""

    def __init__(self, cases: Sequence[Case]) -> None:
        self.x = np.array([c.features.vector() for c in cases])
        self.coverage = np.array([c.coverage for c in cases])
        self.conflict = np.array([bool(c.conflicts) for c in cases])
        self.capped = np.array([_quote_effect(c) == "cap" for c in cases])
        self.lifted = np.array([_quote_effect(c) == "lift" for c in cases])
        self.gold = np.array([c.label for c in cases])
        self.sets = np.array([c.dataset for c in cases])

    def scores(self, weights: np.ndarray, intercept: float) -> np.ndarray:
        """Return the support scores (0–100) under these weights."""
        return np.round(100 / (1 + np.exp(-(self.x @ weights + intercept))), 1)

    def verdicts(self, scores: np.ndarray, thresholds: Thresholds) -> np.ndarray:
        """Return the verdicts ``decide`` gives (checked against it in ``main``)."""
        contradicted = self.conflict & (self.coverage >= thresholds.contradicted)
        above = ~contradicted & (scores >= thresholds.supported)
        supported = above & ~self.capped
        partial = ~contradicted & ~supported & ((self.coverage >= thresholds.partial) | self.lifted | above)
        return np.where(
            contradicted, CONTRADICTED, np.where(supported, SUPPORTED, np.where(partial, PARTIAL, NOT_FOUND))
        )


def _quote_effect(case: Case) -> str:
    """How ``decide`` lets this claim's quotes override the score: "cap", "lift" or ""."""
    if decide(100.0, 100.0, case.quotes, [], Thresholds(1.0, 0.5, 0.0)) == PARTIAL:
        return "cap"
    return "lift" if decide(0.0, 0.0, case.quotes, [], Thresholds(1.0, 0.5, 0.0)) == PARTIAL else ""


def calibrate(arrays: Arrays, rows: np.ndarray, l2: float, gate: float) -> Calibration:
    """Fit weights on the ``rows`` cases, then the thresholds: supported for the mean per-set accuracy,
    partial for macro F1 on WiCE."""
    sets = arrays.sets[rows]
    gold = arrays.gold[rows]
    names, inverse, counts = np.unique(sets, return_inverse=True, return_counts=True)
    sample_weight = len(rows) / (len(names) * counts[inverse])
    weights, intercept = fit_logistic(arrays.x[rows], (gold == SUPPORTED).astype(float), sample_weight, l2)
    scores = arrays.scores(weights, intercept)[rows]
    blocked = (arrays.conflict & (arrays.coverage >= gate))[rows] | arrays.capped[rows]
    candidates = np.unique(np.quantile(scores, np.linspace(0.02, 0.98, 97)))
    supported = max(candidates, key=lambda t: _mean_accuracy((scores >= t) & ~blocked, gold == SUPPORTED, sets))
    wice = rows[sets == "wice"]
    wice_scores = arrays.scores(weights, intercept)[wice]
    wice_arrays = _subset(arrays, wice)
    partial = max(
        np.unique(np.round(arrays.coverage[wice], 1)),
        key=lambda t: macro_f1(arrays.gold[wice], wice_arrays.verdicts(wice_scores, Thresholds(supported, t, gate))),
    )
    return Calibration(tuple(float(w) for w in weights), intercept, Thresholds(float(supported), float(partial), gate))


def _subset(arrays: Arrays, rows: np.ndarray) -> Arrays:
    subset = Arrays.__new__(Arrays)
    for name, value in vars(arrays).items():
        setattr(subset, name, value[rows])
    return subset


def _mean_accuracy(predicted: np.ndarray, gold: np.ndarray, sets: np.ndarray) -> float:
    return float(np.mean([np.mean(predicted[sets == name] == gold[sets == name]) for name in np.unique(sets)]))


def macro_f1(gold: np.ndarray, decided: np.ndarray) -> float:
    """Return the F1 averaged over supported / partial / not_found (contradicted counts as not_found)."""
    decided = np.where(decided == CONTRADICTED, NOT_FOUND, decided)
    f1 = []
    for label in (SUPPORTED, PARTIAL, NOT_FOUND):
        hits = np.sum((decided == label) & (gold == label))
        f1.append(2 * hits / max(np.sum(decided == label) + np.sum(gold == label), 1))
    return float(np.mean(f1))


def verdicts(cases: Sequence[Case], calibration: Calibration) -> tuple[list[float], list[str]]:
    """Return the support score and verdict of every case under a calibration, as the engine decides them."""
    scores = [support_score(c.features, calibration.weights, calibration.intercept) for c in cases]
    decided = [
        decide(score, c.coverage, c.quotes, c.conflicts, calibration.thresholds) for score, c in zip(scores, cases)
    ]
    return scores, decided


def auroc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """Return the probability that a positive scores above a negative (ties count half)."""
    if not len(positive) or not len(negative):
        return float("nan")
    pos, neg = np.asarray(positive)[:, None], np.asarray(negative)[None, :]
    return float(((pos > neg).sum() + 0.5 * (pos == neg).sum()) / (pos.size * neg.size))


def folds_of(cases: Sequence[Case], rows: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """Assign each of ``rows`` a fold; a group (page, abstract, question) stays in one fold, each set spread evenly."""
    rng = np.random.default_rng(seed)
    assignment = np.zeros(len(rows), dtype=int)
    keys = [(cases[i].dataset, cases[i].group) for i in rows]
    for name in sorted({key[0] for key in keys}):
        groups = sorted({key[1] for key in keys if key[0] == name})
        order = {group: i % folds for i, group in enumerate(rng.permutation(groups))}
        for position, key in enumerate(keys):
            if key[0] == name:
                assignment[position] = order[key[1]]
    return assignment


def choose(cases: Sequence[Case], arrays: Arrays, rows: np.ndarray, folds: int, seed: int) -> tuple[float, float]:
    """Choose the L2 strength and the conflict gate by cross-validation on ``rows`` (mean per-set accuracy)."""
    assignment = folds_of(cases, rows, folds, seed)
    best, best_accuracy = (L2_CHOICES[0], GATE_CHOICES[0]), -1.0
    for l2 in L2_CHOICES:
        for gate in GATE_CHOICES:
            predicted = np.zeros(len(rows), dtype=bool)
            for fold in range(folds):
                train, test = rows[assignment != fold], rows[assignment == fold]
                calibration = calibrate(arrays, train, l2, gate)
                scores = arrays.scores(np.array(calibration.weights), calibration.intercept)[test]
                predicted[assignment == fold] = _subset(arrays, test).verdicts(scores, calibration.thresholds) == SUPPORTED
            accuracy = _mean_accuracy(predicted, arrays.gold[rows] == SUPPORTED, arrays.sets[rows])
            if accuracy > best_accuracy:
                best, best_accuracy = (l2, gate), accuracy
    return best


def fit(cases: Sequence[Case], arrays: Arrays, rows: np.ndarray, folds: int, seed: int) -> Calibration:
    """Choose the knobs by cross-validation on ``rows``, then fit the calibration on all of them."""
    l2, gate = choose(cases, arrays, rows, folds, seed)
    return calibrate(arrays, rows, l2, gate)


def cross_validate(cases: list[Case], folds: int, repeats: int) -> list[tuple[list[float], list[str]]]:
    """Return, per repeat, every case's score and verdict from a calibration fitted without its fold."""
    arrays, every = Arrays(cases), np.arange(len(cases))
    results = []
    for repeat in range(repeats):
        assignment = folds_of(cases, every, folds, 1000 + repeat)
        scores, decided = [0.0] * len(cases), [""] * len(cases)
        for fold in range(folds):
            train, test = every[assignment != fold], every[assignment == fold]
            calibration = fit(cases, arrays, train, folds - 1, repeat)
            fold_scores, fold_verdicts = verdicts([cases[i] for i in test], calibration)
            for i, score, verdict in zip(test, fold_scores, fold_verdicts):
                scores[i], decided[i] = score, verdict
        results.append((scores, decided))
    return results


def figures(cases: Sequence[Case], scores: Sequence[float], decided: Sequence[str]) -> dict[str, float]:
    """Return the goal figures of one data set."""
    by_label: dict[str, list[int]] = {}
    for i, case in enumerate(cases):
        by_label.setdefault(case.label, []).append(i)

    def share(label: str, verdict: str) -> float:
        members = by_label.get(label, [])
        return float(np.mean([decided[i] == verdict for i in members])) if members else float("nan")

    negative = "refuted" if "refuted" in by_label else (NOT_FOUND if NOT_FOUND in by_label else PARTIAL)
    result = {
        "auroc": auroc([scores[i] for i in by_label.get(SUPPORTED, [])], [scores[i] for i in by_label.get(negative, [])]),
        "accuracy": float(np.mean([(v == SUPPORTED) == (c.label == SUPPORTED) for v, c in zip(decided, cases)])),
        "majority": max(np.mean([c.label == SUPPORTED for c in cases]), np.mean([c.label != SUPPORTED for c in cases])),
        "supported_supported": share(SUPPORTED, SUPPORTED),
        "supported_contradicted": share(SUPPORTED, CONTRADICTED),
    }
    if "refuted" in by_label:
        result["refuted_supported"] = share("refuted", SUPPORTED)
        result["refuted_contradicted"] = share("refuted", CONTRADICTED)
    with_gold = [c for c in cases if c.has_gold]
    if with_gold:
        result["recall1"] = float(np.mean([any(c.hits[:1]) for c in with_gold]))
        result["recall3"] = float(np.mean([any(c.hits[:3]) for c in with_gold]))
    return result


def _mean(dicts: list[dict[str, float]]) -> dict[str, float]:
    return {key: float(np.mean([d[key] for d in dicts])) for key in dicts[0]}


def print_table(rows: list[tuple[str, str, dict[str, float]]]) -> None:
    """Print the goal figures, one line per data set and way of measuring."""
    print(f"{'data set':<18} {'measured':<9} {'AUROC':>6} {'acc':>6} {'major':>6} {'S->S':>6} {'S->C':>6} "
          f"{'R->S':>6} {'R->C':>6} {'rec@1':>6} {'rec@3':>6}")  # fmt: skip
    for name, how, f in rows:
        cells = [f.get(key, float("nan")) for key in ("auroc", "accuracy", "majority", "supported_supported",
                 "supported_contradicted", "refuted_supported", "refuted_contradicted", "recall1", "recall3")]  # fmt: skip
        print(f"{name:<18} {how:<9} " + " ".join("     -" if np.isnan(v) else f"{v:6.3f}" for v in cells))


def main() -> None:
    """Print the goal table per data set (cross-validated, held-out and tuned-on) and, with --fit, the calibration."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=evalsets.DEFAULT_DATA, help="the shared eval directory")
    parser.add_argument("--semantic", action="store_true", help="use the semantic extra (MiniLM) as well")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    parser.add_argument("--repeats", type=int, default=2, help="cross-validation repeats with new shuffles")
    parser.add_argument("--fit", action="store_true", help="print the calibration fitted on all three sets")
    args = parser.parse_args()
    encoder = evalsets.encoder(args.semantic)
    calibration_cases = load_cases(evalsets.calibration_sets(args.data), encoder)
    dev_cases = load_cases(evalsets.check_covid("dev", args.data), encoder)
    names = sorted({c.dataset for c in calibration_cases}, key=CALIBRATION_SETS.index)
    counts = ", ".join(f"{name} {sum(c.dataset == name for c in calibration_cases)}" for name in names)
    print(f"claims: {counts}, check-covid-dev {len(dev_cases)} (held out); semantic extra: {bool(encoder)}")
    rows = []
    runs = cross_validate(calibration_cases, args.folds, args.repeats)
    for name in names:
        members = [i for i, c in enumerate(calibration_cases) if c.dataset == name]
        per_run = [
            figures([calibration_cases[i] for i in members], [s[i] for i in members], [v[i] for i in members])
            for s, v in runs
        ]
        rows.append((name, "cv", _mean(per_run)))
    arrays = Arrays(calibration_cases)
    shipped = fit(calibration_cases, arrays, np.arange(len(calibration_cases)), args.folds, 0)
    engine_verdicts = verdicts(calibration_cases, shipped)[1]
    scores = arrays.scores(np.array(shipped.weights), shipped.intercept)
    assert list(arrays.verdicts(scores, shipped.thresholds)) == engine_verdicts, "array verdicts differ from decide"
    rows.append(("check-covid-dev", "held-out", figures(dev_cases, *verdicts(dev_cases, shipped))))
    for name in names:
        members = [c for c in calibration_cases if c.dataset == name]
        rows.append((name, "tuned-on", figures(members, *verdicts(members, shipped))))
    print_table(rows)
    print("S->S: supported claims called supported; S->C: called contradicted; R->S, R->C: refuted claims called "
          "supported / contradicted; acc: supported-vs-rest accuracy (major: the majority class's)")  # fmt: skip
    if args.fit:
        weights = ", ".join(f"{w:.2f}" for w in shipped.weights)
        t = shipped.thresholds
        print(f"fitted on all three: weights=({weights}), intercept={shipped.intercept:.2f}, "
              f"thresholds=Thresholds(supported={t.supported:.1f}, partial={t.partial:.1f}, "
              f"contradicted={t.contradicted:.1f})")  # fmt: skip


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    main()
