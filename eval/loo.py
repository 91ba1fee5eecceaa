"""Leave-one-document-out recalibration of predicted confidences.

The calibration model itself belongs to `extractor.confidence` (issue 4). The harness only organises the
folds: for each document it fits on the other documents' fields (with their correctness against gold)
and rewrites the held-out document's confidences, then its statuses (`extractor.score.status_for`:
auto_accepted when the new confidence reaches the review threshold of the field's kind and no reason
blocks it, else needs_review; confirmed and corrected fields are left alone). The protocol expected of `extractor.confidence.fit_calibration`:

    fit_calibration(examples: list[CalibrationExample]) -> Callable[[FieldFeatures], float]
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypedDict, cast

from eval.matching import TOLERANCE, compare_prediction, field_entries, normalise_text
from extractor.score import status_for


class FieldFeatures(TypedDict):
    document: str
    kind: str
    key: str
    field: str
    value: Any
    confidence: float
    status: str | None
    reasons: list[str]


class CalibrationExample(FieldFeatures):
    correct: bool


Calibrator = Callable[[FieldFeatures], float]
FitCalibration = Callable[[list[CalibrationExample]], Calibrator]
ThresholdFor = Callable[[str], float]
REVIEWABLE = ("auto_accepted", "needs_review")


def find_fit_calibration() -> FitCalibration | None:
    """`extractor.confidence.fit_calibration` (a broken import is an error, never "no calibration")."""
    from extractor.confidence import fit_calibration

    return cast(FitCalibration, fit_calibration)


def _features(
    document: str, record: Mapping[str, Any], name: str, entry: Mapping[str, Any]
) -> FieldFeatures | None:
    conf = entry.get("confidence")
    if not isinstance(conf, int | float) or isinstance(conf, bool):
        return None
    reasons = entry.get("reasons")
    status = entry.get("status")
    return FieldFeatures(
        document=document,
        kind=str(record.get("kind", "")),
        key=str(record.get("key", "")),
        field=name,
        value=entry.get("value"),
        confidence=float(conf),
        status=status if isinstance(status, str) else None,
        reasons=[str(r) for r in reasons] if isinstance(reasons, list) else [],
    )


def examples_of(
    document: str,
    gold_records: Sequence[Mapping[str, Any]],
    gold_document: Mapping[str, Any] | None,
    prediction: Mapping[str, Any],
    *,
    tol: float = TOLERANCE,
) -> list[CalibrationExample]:
    """Every predicted field with a confidence, labelled `correct` when gold trusts it (right, and not a
    value the document contradicts: `matching.FieldOutcome.trusted`)."""
    comparison = compare_prediction(document, gold_records, gold_document, prediction, tol=tol)
    correct = {
        (o.kind, normalise_text(o.key), o.field): o.trusted
        for o in comparison.outcomes
        if o.predicted_present and o.confidence is not None
    }
    out: list[CalibrationExample] = []
    seen: set[tuple[str, str, str]] = set()
    for record in prediction.get("records", []):
        if not isinstance(record, Mapping):
            continue
        for name, entry in field_entries(record).items():
            feats = _features(document, record, name, entry)
            ident = (str(record.get("kind", "")), normalise_text(str(record.get("key", ""))), name)
            if feats is None or ident in seen:
                continue
            seen.add(ident)
            out.append(CalibrationExample(**feats, correct=correct.get(ident, False)))
    return out


def recalibrated(
    document: str,
    prediction: Mapping[str, Any],
    calibrate: Calibrator,
    threshold_for: ThresholdFor,
) -> dict[str, Any]:
    """A copy of `prediction` with confidences from `calibrate` and statuses re-derived from them."""
    out = copy.deepcopy(dict(prediction))
    for record in out.get("records", []):
        fields = record.get("fields") if isinstance(record, dict) else None
        if not isinstance(fields, dict):
            continue
        for name, entry in fields.items():
            feats = _features(document, record, name, entry) if isinstance(entry, dict) else None
            if feats is None:
                continue
            conf = min(max(float(calibrate(feats)), 0.0), 1.0)
            entry["confidence"] = conf
            if entry.get("status") in REVIEWABLE:
                entry["status"] = status_for(conf, feats["reasons"], threshold_for(feats["kind"]))
    return out


def leave_one_out(
    cases: Sequence[
        tuple[str, Sequence[Mapping[str, Any]], Mapping[str, Any] | None, Mapping[str, Any] | None]
    ],
    fit: FitCalibration,
    threshold_for: ThresholdFor,
    *,
    tol: float = TOLERANCE,
    pool: Sequence[
        tuple[str, Sequence[Mapping[str, Any]], Mapping[str, Any] | None, Mapping[str, Any] | None]
    ] = (),
) -> dict[str, dict[str, Any]]:
    """`cases` are (document, gold records, gold document, prediction or None). Returns the recalibrated
    prediction of every document that has one, each fitted without its own fields; the `pool` documents
    (another gold set) are in every fold's training set and are not rewritten."""
    examples = {
        doc: examples_of(doc, gold, gold_doc, pred, tol=tol)
        for doc, gold, gold_doc, pred in [*cases, *pool]
        if pred is not None
    }
    out: dict[str, dict[str, Any]] = {}
    for doc, _gold, _gold_doc, pred in cases:
        if pred is None:
            continue
        train = [ex for other in sorted(examples) if other != doc for ex in examples[other]]
        out[doc] = recalibrated(doc, pred, fit(train), threshold_for)
    return out
