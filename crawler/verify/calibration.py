"""The fitted numbers of the support score and the verdict, one set per matching mode (lexical, semantic)."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.verify.verdict import Thresholds


@dataclass(frozen=True)
class Calibration:
    """Logistic weights over ``SupportFeatures.vector()``, its intercept, and the verdict thresholds."""

    weights: tuple[float, ...]
    intercept: float
    thresholds: Thresholds


# Printed by ``python benchmarks/eval_verdicts.py`` (and ``--semantic``): fitted on WiCE dev, Check-COVID train
# and ExpertQA validation together, each set weighing the same, with a score of 50 where ``supported`` starts;
# README reports the cross-validated and the leave-one-set-out figures.
LEXICAL = Calibration(
    weights=(-1.87, -0.41, -0.27, 0.09, -0.51, -1.19, -0.25, -0.46, -0.77, 1.35, 0.0),
    intercept=1.03,
    thresholds=Thresholds(supported=50.0, partial=17.8, contradicted=10.0),
)
SEMANTIC = Calibration(
    weights=(-2.41, -0.42, -0.25, 0.09, -0.61, -1.21, -0.27, -0.46, -0.79, 1.41, 1.18),
    intercept=0.47,
    thresholds=Thresholds(supported=50.0, partial=19.3, contradicted=10.0),
)
