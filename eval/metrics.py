"""Scores of one backend over a dataset: fields, rows, documents, review load, calibration, cost.

All rates are micro-averages: every field (or record) of every document counts once. A rate whose
denominator is empty is None (null in JSON), never 0 or 1. Definitions:
- field precision = correct / predicted fields with a value; recall = correct / gold fields with a value;
  F1 = 2·TP / (2·TP + FP + FN). A wrong value is both a false positive and a false negative; a predicted
  blank where gold has a value is a false negative; a value where gold has none is a false positive.
- row completeness = gold records matched by a predicted record of the same (kind, key) / gold records.
- whole-document exact rate = documents with no error, no unmatched record and no FP or FN field / documents.
- straight-through rate = predicted fields with status auto_accepted / predicted fields that carry a status;
  auto-accepted precision = correct / auto_accepted; auto-accepted contradictions = auto-accepted fields
  whose printed value gold marks as contradicted by the document (`intended`); review wrong share =
  not trusted / needs_review ("correct" and "trusted" as in `matching.FieldOutcome`).
- calibration (ECE, AUROC, reliability, sweep) over predicted fields that carry a confidence, against
  `trusted` (right, and not contradicted by the document), which is what confidence claims; `ece_printed`
  and `auroc_printed` measure it against `correct` alone (see `calibration`).
- cost per document = the export summary's seconds, llm_calls, llm_tokens, averaged over documents
  that produced a prediction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eval.calibration import ReliabilityBin, SweepPoint, auroc, ece, reliability, threshold_sweep
from eval.gold import GoldDocument
from eval.matching import (
    TOLERANCE,
    DocumentComparison,
    FieldOutcome,
    RecordRef,
    compare_prediction,
    difference,
    prediction_problems,
    values_equal,
)

Metric = float | int | None
# llm_replayed_*: answers replayed from the recordings, with what they cost when they were recorded
COST_FIELDS = (
    "seconds",
    "llm_calls",
    "llm_tokens",
    "llm_replayed_calls",
    "llm_replayed_tokens",
    "llm_replayed_seconds",
)


def ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def field_metrics(outcomes: Iterable[FieldOutcome]) -> dict[str, Metric]:
    items = list(outcomes)
    tp = sum(1 for o in items if o.tp)
    fp = sum(1 for o in items if o.fp)
    fn = sum(1 for o in items if o.fn)
    return {
        "gold_fields": tp + fn,
        "predicted_fields": tp + fp,
        "correct_fields": tp,
        "field_precision": ratio(tp, tp + fp),
        "field_recall": ratio(tp, tp + fn),
        "field_f1": ratio(2 * tp, 2 * tp + fp + fn),
    }


def row_metrics(gold_rows: Sequence[RecordRef], predicted_rows: Sequence[RecordRef]) -> dict[str, Metric]:
    matched = sum(1 for r in gold_rows if r.matched)
    return {
        "gold_records": len(gold_rows),
        "predicted_records": len(predicted_rows),
        "matched_records": matched,
        "unmatched_gold_records": len(gold_rows) - matched,
        "unmatched_predicted_records": sum(1 for r in predicted_rows if not r.matched),
        "row_completeness": ratio(matched, len(gold_rows)),
    }


def review_metrics(outcomes: Iterable[FieldOutcome]) -> dict[str, Metric]:
    items = [o for o in outcomes if o.predicted_present]
    reviewed = [o for o in items if o.status is not None]
    auto = [o for o in reviewed if o.status == "auto_accepted"]
    queued = [o for o in reviewed if o.status == "needs_review"]
    scored = [o for o in items if o.confidence is not None]
    confs = [o.confidence for o in scored if o.confidence is not None]
    labels = [o.trusted for o in scored]
    printed = [o.correct for o in scored]
    return {
        "reviewed_fields": len(reviewed),
        "auto_accepted": len(auto),
        "needs_review": len(queued),
        "straight_through_rate": ratio(len(auto), len(reviewed)),
        "auto_accepted_precision": ratio(sum(1 for o in auto if o.correct), len(auto)),
        "auto_accepted_contradictions": sum(1 for o in auto if o.correct and o.contradicted),
        "review_wrong_share": ratio(sum(1 for o in queued if not o.trusted), len(queued)),
        "calibrated_fields": len(scored),
        "untrusted_fields": sum(1 for t in labels if not t),
        "ece": ece(confs, labels),
        "auroc": auroc(confs, labels),
        "ece_printed": ece(confs, printed),
        "auroc_printed": auroc(confs, printed),
    }


def _number(summary: Mapping[str, Any] | None, name: str) -> float | None:
    value = summary.get(name) if summary else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def cost_metrics(summaries: Sequence[Mapping[str, Any] | None]) -> dict[str, Metric]:
    out: dict[str, Metric] = {}
    for name in COST_FIELDS:
        values = [v for v in (_number(s, name) for s in summaries) if v is not None]
        out[f"{name}_total"] = sum(values) if values else None
        out[f"{name}_per_doc"] = ratio(sum(values), len(values)) if values else None
    return out


@dataclass
class BackendScore:
    """Everything measured for one backend; `to_json` is the JSON report's block for it."""

    backend: str
    comparisons: list[DocumentComparison]
    summaries: dict[str, dict[str, Any] | None]
    warnings: list[str] = field(default_factory=list)

    @property
    def outcomes(self) -> list[FieldOutcome]:
        return [o for c in self.comparisons for o in c.outcomes]

    def _scored(self, outcomes: Sequence[FieldOutcome]) -> tuple[list[float], list[bool]]:
        items = [o for o in outcomes if o.predicted_present and o.confidence is not None]
        return [o.confidence for o in items if o.confidence is not None], [o.trusted for o in items]

    def overall(self) -> dict[str, Metric]:
        docs = self.comparisons
        out: dict[str, Metric] = {
            "documents": len(docs),
            "documents_failed": sum(1 for c in docs if c.error is not None),
            "doc_exact_rate": ratio(sum(1 for c in docs if c.exact), len(docs)),
        }
        out |= row_metrics(
            [r for c in docs for r in c.gold_rows], [r for c in docs for r in c.predicted_rows]
        )
        out |= field_metrics(self.outcomes)
        out |= review_metrics(self.outcomes)
        out |= cost_metrics([self.summaries.get(c.document) for c in docs if c.error is None])
        return out

    def kinds(self) -> list[str]:
        names = {r.kind for c in self.comparisons for r in c.gold_rows + c.predicted_rows}
        return sorted(names)

    def per_kind(self) -> dict[str, dict[str, Metric]]:
        out: dict[str, dict[str, Metric]] = {}
        for kind in self.kinds():
            gold = [r for c in self.comparisons for r in c.gold_rows if r.kind == kind]
            pred = [r for c in self.comparisons for r in c.predicted_rows if r.kind == kind]
            outcomes = [o for o in self.outcomes if o.kind == kind]
            out[kind] = row_metrics(gold, pred) | field_metrics(outcomes) | review_metrics(outcomes)
        return out

    def per_document(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for c in self.comparisons:
            summary = self.summaries.get(c.document) if c.error is None else None
            entry: dict[str, Any] = {"error": c.error, "exact": c.exact}
            entry |= row_metrics(c.gold_rows, c.predicted_rows) | field_metrics(c.outcomes)
            entry |= review_metrics(c.outcomes)
            entry |= {name: _number(summary, name) for name in COST_FIELDS}
            out[c.document] = entry
        return out

    def reliability(self) -> list[ReliabilityBin]:
        return reliability(*self._scored(self.outcomes))

    def sweep(self) -> list[SweepPoint]:
        return threshold_sweep(*self._scored(self.outcomes))

    def field_errors(self) -> list[dict[str, Any]]:
        rows = []
        for o in self.outcomes:
            if o.outcome in ("correct", "blank"):
                continue
            rows.append(
                {
                    "document": o.document,
                    "address": o.address,
                    "outcome": o.outcome,
                    "gold": o.gold,
                    "predicted": o.predicted,
                    "confidence": o.confidence,
                    "status": o.status,
                    "intended": o.intended if o.has_intended else None,
                    "predicted_intended": o.has_intended and values_equal(o.intended, o.predicted),
                    "record_matched": o.record_matched,
                    "detail": difference(o.gold, o.predicted) if o.record_matched else None,
                }
            )
        return rows

    def unmatched(self) -> dict[str, list[dict[str, str]]]:
        def refs(rows: Iterable[RecordRef]) -> list[dict[str, str]]:
            return [{"document": r.document, "kind": r.kind, "key": r.key} for r in rows]

        return {
            "gold": refs(r for c in self.comparisons for r in c.unmatched_gold),
            "predicted": refs(r for c in self.comparisons for r in c.unmatched_predicted),
        }

    def to_json(self) -> dict[str, Any]:
        payload: dict[str, Any] = _rounded(
            {
                "overall": self.overall(),
                "per_kind": self.per_kind(),
                "per_document": self.per_document(),
                "reliability": [vars(b) for b in self.reliability()],
                "threshold_sweep": [vars(p) for p in self.sweep()],
                "unmatched": self.unmatched(),
                "field_errors": self.field_errors(),
                "warnings": list(self.warnings),
            }
        )
        return payload


def _rounded(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 6)
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_rounded(v) for v in obj]
    return obj


@dataclass(frozen=True)
class DocumentPrediction:
    """One document's prediction for one backend: an export dict, or the error that prevented it."""

    gold: GoldDocument
    prediction: Mapping[str, Any] | None
    error: str | None = None


def score_backend(
    backend: str, runs: Sequence[DocumentPrediction], *, tol: float = TOLERANCE
) -> BackendScore:
    """Score predictions against gold. Pure: no I/O, no pipeline."""
    comparisons: list[DocumentComparison] = []
    summaries: dict[str, dict[str, Any] | None] = {}
    warnings: list[str] = []
    for run in sorted(runs, key=lambda r: r.gold.stem):
        gold, pred, error = run.gold, run.prediction, run.error
        if error is None and pred is None:
            error = "no prediction"
        if error is None and pred is not None:
            problems = prediction_problems(pred)
            if problems:
                error = "malformed prediction: " + "; ".join(problems[:5])
        if error is None and pred is not None:
            summary = pred.get("summary")
            summaries[gold.stem] = dict(summary) if isinstance(summary, Mapping) else None
            warnings.extend(_sha_warning(gold, pred))
        comparisons.append(
            compare_prediction(gold.stem, gold.records, gold.document, pred, tol=tol, error=error)
        )
    return BackendScore(backend, comparisons, summaries, warnings)


def _sha_warning(gold: GoldDocument, pred: Mapping[str, Any]) -> list[str]:
    g = (gold.document or {}).get("sha256")
    doc = pred.get("document")
    p = doc.get("sha256") if isinstance(doc, Mapping) else None
    if g and p and g != p:
        return [f"{gold.stem}: prediction sha256 {str(p)[:12]}… differs from gold's {str(g)[:12]}…"]
    return []
