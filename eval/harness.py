"""The thin runner: produce predictions per backend, optionally recalibrate them leave-one-document-out,
and score them. Producing predictions is a `Predictor`, a callable `(gold document, backend) -> export
dict`; the default calls the pipeline (`extractor.pipeline.extract_path`), `saved_predictions` reads
exports written earlier, and tests pass their own.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.errors import EvalError
from eval.gold import Dataset, GoldDocument
from eval.loo import FitCalibration, ThresholdFor, find_fit_calibration, leave_one_out
from eval.matching import TOLERANCE, prediction_problems
from eval.metrics import BackendScore, DocumentPrediction, score_backend
from extractor.settings import Settings

Predictor = Callable[[GoldDocument, str], Mapping[str, Any]]
BACKENDS = ("rules", "llm", "hybrid")
DATASETS_ROOT = Path(__file__).resolve().parent / "datasets"


def dataset_dir(name: str, root: Path = DATASETS_ROOT) -> Path:
    """`name` under eval/datasets, or `name` itself when it is a path (absolute, or with a separator)."""
    as_path = Path(name)
    if as_path.is_absolute() or len(as_path.parts) > 1:
        return as_path
    return root / name


def pipeline_predictor(settings: Settings) -> Predictor:
    """Run `extractor.pipeline.extract_path` on the gold document's source file, with these settings."""

    def predict(gold: GoldDocument, backend: str) -> Mapping[str, Any]:
        from extractor.export import result_to_json
        from extractor.pipeline import extract_path

        if gold.doc_path is None or not gold.doc_path.is_file():
            raise EvalError("the source document of this gold file is missing", source=str(gold.path))
        started = time.perf_counter()
        result = extract_path(gold.doc_path, backend=backend, settings=settings)
        elapsed = time.perf_counter() - started
        seconds = None if result.usage.seconds else elapsed
        payload: Mapping[str, Any] = result_to_json(result, seconds)
        return payload

    return predict


def saved_predictions(directory: Path) -> Predictor:
    """Exports written earlier: `<dir>/<backend>/<stem>.json`, else `<dir>/<stem>.json`."""

    def predict(gold: GoldDocument, backend: str) -> Mapping[str, Any]:
        for candidate in (directory / backend / f"{gold.stem}.json", directory / f"{gold.stem}.json"):
            if candidate.is_file():
                try:
                    payload = json.loads(candidate.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise EvalError(f"unreadable prediction: {exc}", source=str(candidate)) from exc
                if not isinstance(payload, dict):
                    raise EvalError("a prediction must be a JSON object", source=str(candidate))
                return payload
        raise EvalError(f"no saved prediction for backend {backend}", source=f"{directory}/{gold.stem}.json")

    return predict


@dataclass
class EvalRun:
    dataset: Dataset
    scores: dict[str, BackendScore]
    loo: dict[str, Any]
    tolerance: float = TOLERANCE
    notes: list[str] = field(default_factory=list)
    perturbation: dict[str, Any] | None = None  # `eval.perturb` results, when asked for

    def to_json(self) -> dict[str, Any]:
        out = {
            "dataset": self.dataset.name,
            "documents": [d.stem for d in self.dataset.documents],
            "tolerance": self.tolerance,
            "loo": self.loo,
            "notes": list(self.notes),
            "dataset_warnings": self.dataset.warnings,
            "backends": {name: score.to_json() for name, score in self.scores.items()},
        }
        if self.perturbation is not None:
            out["perturbation"] = self.perturbation
        return out


def covered(gold: GoldDocument, prediction: Mapping[str, Any]) -> Mapping[str, Any]:
    """The part of a prediction that `gold` scores: all of it, or, for partial gold (`covers` in its
    header), only the records of the kinds it covers (`kind`, or `kind@scope` for one scope of it, `kind@`
    for the unscoped table): it says nothing of the others."""
    if gold.covers is None:
        return prediction
    records = prediction.get("records")
    if not isinstance(records, list):
        return prediction
    covers = gold.covers

    def is_covered(r: Any) -> bool:
        if not isinstance(r, dict):
            return True
        kind, scope = r.get("kind"), r.get("scope") or ""
        return kind in covers or f"{kind}@{scope}" in covers

    kept = [r for r in records if is_covered(r)]
    return {**prediction, "records": kept}


def _predict_all(dataset: Dataset, backend: str, predict: Predictor) -> list[DocumentPrediction]:
    runs = []
    for gold in dataset.documents:
        try:
            runs.append(DocumentPrediction(gold, covered(gold, predict(gold, backend))))
        except Exception as exc:  # one document's failure is reported, the run goes on
            message = exc.user_message() if isinstance(exc, EvalError) else f"{type(exc).__name__}: {exc}"
            runs.append(DocumentPrediction(gold, None, message))
    return runs


def run_eval(
    dataset: Dataset,
    backends: Sequence[str],
    predict: Predictor,
    *,
    threshold_for: ThresholdFor,
    loo: bool = False,
    fit: FitCalibration | None = None,
    tol: float = TOLERANCE,
    pool: Sequence[Dataset] = (),
) -> EvalRun:
    """Score every backend on every gold document. With `loo`, confidences are refitted leave-one-
    document-out by `fit` (default: `extractor.confidence.fit_calibration` when it exists) and statuses
    re-decided with `threshold_for` (the caller's settings' review thresholds); the documents of the `pool`
    datasets (the seeds, when scoring dev) are in every fold's training set."""
    fit = fit if fit is not None else (find_fit_calibration() if loo else None)
    loo_info: dict[str, Any] = {
        "requested": loo,
        "applied": False,
        "reason": None,
        "pool": [d.name for d in pool],
    }
    notes: list[str] = []
    if loo and fit is None:
        loo_info["reason"] = (
            "extractor.confidence.fit_calibration is not available; confidences are as predicted"
        )
        notes.append(f"leave-one-out requested but not applied: {loo_info['reason']}")
    scores: dict[str, BackendScore] = {}
    for backend in dict.fromkeys(backends):
        runs = _predict_all(dataset, backend, predict)
        if loo and fit is not None:
            cases = [
                (r.gold.stem, r.gold.records, r.gold.document, r.prediction)
                for r in runs
                if r.error is None and not prediction_problems(r.prediction)
            ]
            extra = [
                (f"{d.name}/{r.gold.stem}", r.gold.records, r.gold.document, r.prediction)
                for d in pool
                for r in _predict_all(d, backend, predict)
                if r.error is None and not prediction_problems(r.prediction)
            ]
            try:
                refitted = leave_one_out(cases, fit, threshold_for, tol=tol, pool=extra)
            except Exception as exc:  # the calibration is another module's code: name it in the message
                raise EvalError(f"leave-one-out calibration failed: {type(exc).__name__}: {exc}") from exc
            runs = [
                DocumentPrediction(r.gold, refitted.get(r.gold.stem, r.prediction), r.error) for r in runs
            ]
            loo_info["applied"] = True
        scores[backend] = score_backend(backend, runs, tol=tol)
    return EvalRun(dataset, scores, loo_info, tol, notes)
