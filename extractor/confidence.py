"""Per-field confidence as a calibrated probability that the field is right.

A field's reasons (what the parsers and validators said about it) become binary features; a
logistic regression fitted on gold maps them to a probability. The fitted weights ship as
`extractor/data/calibration.json` (written by `extractor calibrate`); without it, the hand-set
baseline of `extractor.score` is used. `fit_calibration` is also what the eval harness calls to
refit leave-one-document-out, so the reported calibration is measured on documents the fit did not see.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from extractor import reasons

FEATURES: tuple[str, ...] = (
    "grounded",
    "ungrounded",
    "sum_ok",
    "sum_fails",
    "tie_ok",
    "tie_fails",
    "rounding_gap",
    "column_position",
    "column_identity",
    "column_totals",
    "column_definition",
    "column_cross_table",
    "column_ambiguous",
    "row_identity_fails",
    "joined",
    "code_repaired",
    "code_unreadable",
    "catalogue_ok",
    "catalogue_unknown",
    "catalogue_mismatch",
    "format_ok",
    "format_fails",
    "proposal",
    "llm",
    "derived",
    "pattern",
    "text_field",
    "carried_down",
    "uncertain",
    "no_check",
    "agreement",
    "agreement_fails",
    "outvoted",
    "column_header",
)


@lru_cache(maxsize=4096)
def _feature_of(reason: str) -> str | None:
    """The feature a reason turns on: its `feature` in the registry (`extractor.reasons`)."""
    return reasons.feature(reason)


def feature_vector(reasons: Sequence[str], value: Any) -> list[float]:
    on: set[str] = set()
    for reason in reasons:
        feature = _feature_of(reason)
        if feature is not None:
            on.add(feature)
    if isinstance(value, str | list):
        on.add("text_field")
    if not on & {"sum_ok", "tie_ok", "sum_fails", "tie_fails", "format_ok", "format_fails", "catalogue_ok"}:
        on.add("no_check")
    return [1.0 if f in on else 0.0 for f in FEATURES]


class Calibrator:
    def __init__(self, weights: Sequence[float] | np.ndarray, bias: float) -> None:
        self.weights = np.asarray(weights, dtype=float)
        self.bias = float(bias)
        # probability by feature vector: a document's fields share a handful of vectors, and scoring runs
        # again over the whole document after every correction a reviewer makes
        self._memo: dict[tuple[float, ...], float] = {}

    def probability(self, reasons: Sequence[str], value: Any) -> float:
        vector = tuple(feature_vector(reasons, value))
        p = self._memo.get(vector)
        if p is None:
            z = float(np.dot(self.weights, vector)) + self.bias
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            if len(self._memo) < 65536:
                self._memo[vector] = p
        return p

    def __call__(self, features: Mapping[str, Any]) -> float:
        return self.probability(list(features.get("reasons") or []), features.get("value"))

    def to_json(self, **meta: Any) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
            **meta,
        }


# What each check is worth before any gold is seen, in log-odds: the validators' design says a failed
# sum, tie or format check, an unreadable code or a value not found at its span makes a field doubtful,
# whatever the gold at hand. The fit starts from these and moves each weight only as far as the gold
# fields that carry the feature justify (a Gaussian prior on the weights, see `fit`). Without the prior,
# a feature that gold has never seen on a wrong field (the seeds have few) would be fitted to "harmless".
PRIOR: dict[str, float] = {
    "grounded": 1.0,
    "ungrounded": -3.0,
    "sum_ok": 0.7,
    "sum_fails": -4.0,
    "tie_ok": 0.7,
    "tie_fails": -4.0,
    "rounding_gap": -0.5,
    "column_ambiguous": -3.0,
    "row_identity_fails": -3.0,
    "code_repaired": -0.5,
    "code_unreadable": -3.0,
    "catalogue_ok": 0.3,
    "catalogue_unknown": -1.0,
    "catalogue_mismatch": -2.0,
    "format_ok": 0.5,
    "format_fails": -4.0,
    "proposal": -3.0,
    "llm": -2.5,
    "uncertain": -3.0,
    "agreement": 1.0,
    "agreement_fails": -4.0,
    "outvoted": -1.0,
}
PRIOR_BIAS = 2.5


def fit(
    x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50, prior: np.ndarray | None = None
) -> Calibrator:
    """Logistic regression by Newton's method (deterministic, no randomness), its weights shrunk toward
    `prior` (default: `PRIOR`) with strength `l2`; the bias is shrunk only weakly toward `PRIOR_BIAS`."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    mean = np.append(
        prior if prior is not None else np.array([PRIOR.get(f, 0.0) for f in FEATURES]), PRIOR_BIAS
    )
    w = mean.copy()
    reg = np.full(d + 1, l2)
    reg[-1] = 1e-3

    def loss(v: np.ndarray) -> float:
        z = np.clip(xb @ v, -30, 30)
        nll = float(np.sum(np.logaddexp(0.0, z) - y * z))
        return nll + 0.5 * float(np.sum(reg * (v - mean) ** 2))

    current = loss(w)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (p - y) + reg * (w - mean)
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        # a Newton step can overshoot where the data nearly separate (the weakly held bias runs off):
        # halve it until the penalised loss goes down
        scale = 1.0
        while scale > 1e-6 and loss(w - scale * step) > current:
            scale /= 2
        w = w - scale * step
        previous, current = current, loss(w)
        if float(np.max(np.abs(scale * step))) < 1e-8 or previous - current < 1e-10:
            break
    return Calibrator(w[:-1], float(w[-1]))


def fit_calibration(examples: list[Mapping[str, Any]]) -> Callable[[Mapping[str, Any]], float]:
    """The eval harness's protocol: examples with `reasons`, `value` and `correct` → a calibrator."""
    x = np.array(
        [feature_vector(list(e.get("reasons") or []), e.get("value")) for e in examples], dtype=float
    )
    y = np.array([1.0 if e["correct"] else 0.0 for e in examples], dtype=float)
    if len(examples) == 0:
        return Calibrator([PRIOR.get(f, 0.0) for f in FEATURES], PRIOR_BIAS)
    return fit(x, y)


@lru_cache(maxsize=1)
def shipped_calibrator() -> Calibrator | None:
    try:
        raw = resources.files("extractor.data").joinpath("calibration.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    data = json.loads(raw)
    if list(data.get("features", [])) != list(FEATURES):
        return None  # fitted on another feature set: refit with `extractor calibrate`
    return Calibrator(data["weights"], data["bias"])


def write_calibration(calibrator: Calibrator, path: Path, **meta: Any) -> None:
    path.write_text(
        json.dumps(calibrator.to_json(**meta), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    shipped_calibrator.cache_clear()
