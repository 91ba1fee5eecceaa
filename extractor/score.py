"""Per-field confidence and status from the reasons the parsers and validators attached.

Each reason carries a weight of doubt; a field's confidence is the product of the support it
keeps. This is the uncalibrated baseline: `extractor.validate` adds the checks and the calibration
maps the result to a probability. Fields under the review threshold go to the queue.
"""

from __future__ import annotations

from extractor.model import ExtractionResult, FieldValue
from extractor.settings import Settings

# How much a reason lowers the belief that a field is right (multiplicative).
DOUBT: dict[str, float] = {
    "column_ambiguous": 0.45,
    "row_identity_fails": 0.5,
    "code_unreadable": 0.4,
    "ungrounded": 0.2,
    "llm": 0.85,
    "project_name_not_separable": 0.5,
    "uncertain_layout": 0.5,
    "joined": 0.97,
    "column:by_definition": 0.97,
    "column:by_column_totals": 0.96,
    "column:by_cross_table": 0.95,
    "code_repaired": 0.9,
}
BASE = 0.98


def raw_confidence(fv: FieldValue) -> float:
    c = BASE
    for reason in fv.reasons:
        name = (
            reason.split(":", 1)[0]
            if reason.startswith(("sum_fails", "tie_fails", "catalogue_", "code_repaired"))
            else reason
        )
        c *= DOUBT.get(name, 1.0)
    return max(0.0, min(1.0, c))


def score_result(result: ExtractionResult, settings: Settings) -> None:
    """Set confidence and status of every field not already decided by a reviewer."""
    for record, _name, fv in result.fields():
        if fv.status in ("confirmed", "corrected"):
            continue
        fv.confidence = raw_confidence(fv)
        fv.status = (
            "auto_accepted" if fv.confidence >= settings.threshold_for(record.kind) else "needs_review"
        )
