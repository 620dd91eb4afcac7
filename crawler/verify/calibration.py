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
    weights=(1.21, -0.4, -0.28, -0.76, -1.18, -0.29, -0.45, 0.03, 0.0),
    intercept=-0.67,
    thresholds=Thresholds(supported=50.0, partial=19.5, contradicted=10.0),
)
SEMANTIC = Calibration(
    weights=(0.87, -0.42, -0.26, -0.88, -1.2, -0.32, -0.44, 0.03, 0.96),
    intercept=-1.12,
    thresholds=Thresholds(supported=50.0, partial=20.1, contradicted=10.0),
)
