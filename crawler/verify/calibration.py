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
# and ExpertQA validation together, re-centred so that a score of 50 is where ``supported`` starts; README reports
# the cross-validated figures.
LEXICAL = Calibration(
    weights=(1.97, -0.54, -0.33, -0.13, 0.16, -0.61, -0.64, 0.0),
    intercept=-0.68,
    thresholds=Thresholds(supported=50.0, partial=18.8, contradicted=10.0),
)
SEMANTIC = Calibration(
    weights=(1.7, -0.36, -0.34, -0.12, -0.99, -0.73, -0.62, 1.84),
    intercept=-1.15,
    thresholds=Thresholds(supported=50.0, partial=18.7, contradicted=10.0),
)
