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


# Printed by ``python benchmarks/eval_verdicts.py --fit`` (and ``--semantic --fit``): fitted on WiCE dev,
# Check-COVID train and ExpertQA validation together; README reports the cross-validated figures.
LEXICAL = Calibration(
    weights=(2.02, 0.49, -1.66, -0.83, 0.61, -2.0, 0.0, 0.0),
    intercept=-1.54,
    thresholds=Thresholds(supported=48.5, partial=15.4, contradicted=40.0),
)
SEMANTIC = LEXICAL
