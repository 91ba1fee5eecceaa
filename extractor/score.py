"""Per-field confidence and status.

With a shipped calibration (`extractor/data/calibration.json`, see `extractor.confidence`) the
confidence is the calibrated probability of the field being right given its reasons; without one, a
hand-set baseline: each doubt lowers it, each check that holds raises it. Fields under the review
threshold (a setting, per kind if needed) go to the queue; the rest are auto-accepted.
"""

from __future__ import annotations

from extractor.confidence import shipped_calibrator
from extractor.model import ExtractionResult, FieldValue, Status
from extractor.settings import Settings

# Baseline: how much a reason lowers the belief that a field is right (multiplicative).
DOUBT: dict[str, float] = {
    "column_ambiguous": 0.45, "row_identity_fails": 0.5, "code_unreadable": 0.4, "ungrounded": 0.2,
    "llm": 0.85, "project_name_not_separable": 0.5, "uncertain_layout": 0.5, "joined": 0.97,
    "sum_fails": 0.3, "tie_fails": 0.35, "rounding_gap": 0.95, "catalogue_unknown": 0.85,
    "catalogue_name_mismatch": 0.7, "format_fails": 0.4, "code_repaired": 0.9, "agreement_fails": 0.5, "outvoted": 0.9,
}  # fmt: skip
SUPPORT = ("sum:", "tie:", "format:", "agreement:")
BASE = 0.9


def raw_confidence(fv: FieldValue) -> float:
    c = BASE
    for reason in fv.reasons:
        if reason.startswith(SUPPORT):
            c = 1 - (1 - c) * 0.5
        elif reason == "grounded":
            c = 1 - (1 - c) * 0.7
    for reason in fv.reasons:
        c *= DOUBT.get(reason.split(":", 1)[0], 1.0)
    return max(0.0, min(1.0, c))


# Reasons that keep a field out of straight-through whatever its confidence: one of its own checks fails,
# a repair proposes another value, its column is a tie-break, or it was not found where it is said to be.
# The calibrated confidence is fitted on documents the rules were written against, where such fields
# were nearly always right; on a document nobody has seen, they are exactly where the product cannot
# vouch for the value.
# A field `outvoted` on a failing check (a repair of another field would settle it) waits in the queue
# until that repair is decided: if the reviewer keeps the other value, the check still fails on it.
BLOCKING = (
    "sum_fails:", "tie_fails:", "format_fails:", "agreement_fails:", "row_identity_fails", "proposal:",
    "column_ambiguous", "ungrounded", "code_unreadable", "uncertain", "outvoted:",
)  # fmt: skip


# what confirms a value read by the LLM: a sum or tie that holds with it, or the rules reading the same
CONFIRMING = ("sum:", "tie:", "agreement:")


def blocking_reasons(reasons: list[str]) -> list[str]:
    """The reasons that keep a field in review; an LLM value no check confirms is held back too."""
    out = [r for r in reasons if r.startswith(BLOCKING)]
    if any(r.startswith("column_settled:") for r in reasons):  # a tie in that column holds
        out = [r for r in out if r != "column_ambiguous"]
    if "llm" in reasons and not any(r.startswith(CONFIRMING) for r in reasons):
        out.append("llm")
    # a column known only by its header words: auto-accepted once a sum, tie or rate check holds with it
    if "column:header" in reasons and not any(r.startswith((*CONFIRMING, "format:")) for r in reasons):
        out.append("column:header")
    return out


def status_for(confidence: float, reasons: list[str], threshold: float) -> Status:
    """auto_accepted when the confidence reaches the threshold and no reason blocks it."""
    if confidence >= threshold and not blocking_reasons(reasons):
        return "auto_accepted"
    return "needs_review"


def score_result(result: ExtractionResult, settings: Settings) -> None:
    """Set confidence and status of every field a reviewer has not decided."""
    calibrator = shipped_calibrator()
    for record, _name, fv in result.fields():
        if fv.status in ("confirmed", "corrected"):
            continue
        fv.confidence = calibrator.probability(fv.reasons, fv.value) if calibrator else raw_confidence(fv)
        fv.status = status_for(fv.confidence, fv.reasons, settings.threshold_for(record.kind))
