"""Per-field confidence and status.

With a shipped calibration (`extractor/data/calibration.json`, see `extractor.confidence`) the
confidence is the calibrated probability of the field being right given its reasons; without one, a
hand-set baseline: each doubt lowers it, each check that holds raises it. Fields under the review
threshold (a setting, per kind if needed) go to the queue; the rest are auto-accepted.
"""

from __future__ import annotations

from functools import lru_cache

from extractor import reasons
from extractor.confidence import shipped_calibrator
from extractor.model import ExtractionResult, FieldValue, Status
from extractor.settings import Settings

BASE = 0.9


def raw_confidence(fv: FieldValue) -> float:
    """The baseline without a calibration: each check that holds shrinks the doubt, each doubt lowers the
    confidence (the `support` and `doubt` of each reason in `extractor.reasons`)."""
    c = BASE
    entries = [e for r in fv.reasons if (e := reasons.lookup(r)) is not None]
    for e in entries:
        c = 1 - (1 - c) * e.support
    for e in entries:
        c *= e.doubt
    return max(0.0, min(1.0, c))


SETTLED = reasons.BY_NAME["column_settled"]
AMBIGUOUS = reasons.BY_NAME["column_ambiguous"]


# Reasons that keep a field out of straight-through whatever its confidence (`blocking` in the registry):
# one of its own checks fails, a repair proposes another value, its column is a tie-break, or it was not
# found where it is said to be. The calibrated confidence is fitted on documents the rules were written
# against, where such fields were nearly always right; on a document nobody has seen, they are exactly
# where the product cannot vouch for the value.
# A field `outvoted` on a failing check (a repair of another field would settle it) waits in the queue
# until that repair is decided: if the reviewer keeps the other value, the check still fails on it.
def blocking_reasons(field_reasons: list[str]) -> list[str]:
    """The reasons that keep a field in review; an LLM value no check confirms is held back too."""
    out = reasons.blocking(field_reasons)
    if any(reasons.lookup(r) is SETTLED for r in field_reasons):  # a tie in that column holds
        out = [r for r in out if reasons.lookup(r) is not AMBIGUOUS]
    if "llm" in field_reasons and not reasons.confirms_llm(field_reasons):
        out.append("llm")
    # a table whose kind the LLM named, or only the content rules did: its fields are auto-accepted once a
    # sum or tie holds with them
    for named in ("kind_by_llm", "kind_by_content"):
        if named in field_reasons and not reasons.confirms_llm(field_reasons):
            out.append(named)
    # a column known only by its header words: auto-accepted once a sum, tie or rate check holds with it
    confirmed = reasons.confirms_llm(field_reasons) or any(
        (entry := reasons.lookup(r)) is not None and entry.name == "format" for r in field_reasons
    )
    if "column:header" in field_reasons and not confirmed:
        out.append("column:header")
    return out


def status_for(confidence: float, reasons: list[str], threshold: float) -> Status:
    """auto_accepted when the confidence reaches the threshold and no reason blocks it."""
    if confidence >= threshold and not _blocked(tuple(reasons)):
        return "auto_accepted"
    return "needs_review"


@lru_cache(maxsize=16384)
def _blocked(field_reasons: tuple[str, ...]) -> bool:
    # memoised: the fields of a document carry a few dozen distinct reason lists, and every decision that
    # re-validates a document scores all its fields again
    return bool(blocking_reasons(list(field_reasons)))


def score_result(result: ExtractionResult, settings: Settings) -> None:
    """Set confidence and status of every field a reviewer has not decided."""
    calibrator = shipped_calibrator()
    for record, _name, fv in result.fields():
        if fv.status in ("confirmed", "corrected"):
            continue
        fv.confidence = calibrator.probability(fv.reasons, fv.value) if calibrator else raw_confidence(fv)
        fv.status = status_for(fv.confidence, fv.reasons, settings.threshold_for(record.kind))
