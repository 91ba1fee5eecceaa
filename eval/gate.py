"""The CI gate: compare measured metrics with the thresholds committed in `eval/thresholds.toml`.

Layout of the thresholds file (TOML):

    [rules]                        # minima for backend `rules`, metric names of the report's "overall"
    field_f1 = 0.9
    [rules.max]                    # maxima, for lower-is-better metrics
    ece = 0.05
    [rules.kinds.income_summary]   # per-kind minima (and `[rules.kinds.<kind>.max]` maxima)
    field_recall = 0.95

Only the backends that ran are checked. The gate fails on: a metric below its minimum or above its
maximum; a metric that could not be measured (null) unless its threshold is a minimum of 0 (a
placeholder); a metric or kind name the eval does not know; any document whose prediction failed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from eval.errors import ThresholdsError
from eval.metrics import BackendScore, Metric

DEFAULT_THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"
_EPS = 1e-12


@dataclass(frozen=True)
class GateCheck:
    backend: str
    metric: str
    bound: Literal["min", "max"]
    threshold: float
    value: float | None
    passed: bool

    def describe(self) -> str:
        shown = "null (not measurable)" if self.value is None else f"{self.value:.4f}"
        if self.bound == "min":
            relation = ">=" if self.passed else "<"
            return f"{self.backend}: {self.metric} = {shown} {relation} minimum {self.threshold:.4f}"
        relation = "<=" if self.passed else ">"
        return f"{self.backend}: {self.metric} = {shown} {relation} maximum {self.threshold:.4f}"


@dataclass
class GateResult:
    checks: list[GateCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems and all(c.passed for c in self.checks)

    def failures(self) -> list[str]:
        return [c.describe() for c in self.checks if not c.passed] + list(self.problems)

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "failures": self.failures(),
            "notes": list(self.notes),
            "checks": [
                {
                    "backend": c.backend,
                    "metric": c.metric,
                    "bound": c.bound,
                    "threshold": c.threshold,
                    "value": c.value,
                    "passed": c.passed,
                }
                for c in self.checks
            ],
        }


def thresholds_for(dataset: str) -> Path:
    """The thresholds file a dataset is gated by: `thresholds.toml` for the seeds, else
    `thresholds-<dataset>.toml` beside it."""
    if dataset == "seeds":
        return DEFAULT_THRESHOLDS
    return DEFAULT_THRESHOLDS.with_name(f"thresholds-{Path(dataset).name}.toml")


def load_thresholds(path: Path = DEFAULT_THRESHOLDS) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ThresholdsError(f"cannot read thresholds: {exc.strerror}", source=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ThresholdsError(f"not valid TOML: {exc}", source=str(path)) from exc


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check(
    backend: str, name: str, bound: Literal["min", "max"], threshold: float, value: Metric
) -> GateCheck:
    v = float(value) if value is not None else None
    if v is None:
        passed = bound == "min" and threshold <= 0.0
    elif bound == "min":
        passed = v >= threshold - _EPS
    else:
        passed = v <= threshold + _EPS
    return GateCheck(backend, name, bound, float(threshold), v, passed)


def _check_table(
    backend: str, prefix: str, table: Mapping[str, Any], measured: Mapping[str, Metric], result: GateResult
) -> None:
    for key in sorted(table):
        value = table[key]
        if key in ("max", "kinds") and isinstance(value, Mapping):
            continue
        if not _is_number(value):
            result.problems.append(f"{backend}: threshold {prefix}{key} is not a number")
        elif key not in measured:
            result.problems.append(f"{backend}: unknown metric {prefix}{key!r}")
        else:
            result.checks.append(_check(backend, f"{prefix}{key}", "min", float(value), measured[key]))
    maxima = table.get("max")
    if isinstance(maxima, Mapping):
        for key in sorted(maxima):
            value = maxima[key]
            if not _is_number(value):
                result.problems.append(f"{backend}: threshold {prefix}max.{key} is not a number")
            elif key not in measured:
                result.problems.append(f"{backend}: unknown metric {prefix}{key!r} (in max)")
            else:
                result.checks.append(_check(backend, f"{prefix}{key}", "max", float(value), measured[key]))


def check_gate(thresholds: Mapping[str, Any], scores: Mapping[str, BackendScore]) -> GateResult:
    result = GateResult()
    for section in sorted(thresholds):
        if not isinstance(thresholds[section], Mapping):
            result.problems.append(f"thresholds: {section!r} is not a backend table ([{section}])")
        elif section not in scores:
            result.notes.append(f"{section}: not run, its thresholds were not checked")
    for backend in scores:
        score = scores[backend]
        overall = score.overall()
        failed = [c for c in score.comparisons if c.error is not None]
        for c in failed:
            result.problems.append(f"{backend}: document {c.document} failed: {c.error}")
        table = thresholds.get(backend)
        if not isinstance(table, Mapping):
            result.notes.append(f"{backend}: no thresholds, nothing checked")
            continue
        _check_table(backend, "", table, overall, result)
        kinds = table.get("kinds")
        if isinstance(kinds, Mapping):
            per_kind = score.per_kind()
            for kind in sorted(kinds):
                sub = kinds[kind]
                if kind not in per_kind:
                    result.problems.append(f"{backend}: kind {kind!r} has no records in gold or predictions")
                elif not isinstance(sub, Mapping):
                    result.problems.append(f"{backend}: kinds.{kind} is not a table")
                else:
                    _check_table(backend, f"kinds.{kind}.", sub, per_kind[kind], result)
    return result
